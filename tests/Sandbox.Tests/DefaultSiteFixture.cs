namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>One site with default options (and a few deleted ids), shared by tests that only read from it.</summary>
public sealed class DefaultSiteFixture : IAsyncLifetime
{
    public SandboxSite Site { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Site = await SandboxSite.StartAsync(new SandboxOptions { Seed = 7, DeletedRate = 0.1 });

    public async Task DisposeAsync() => await Site.DisposeAsync();
}
