using FunctionsCrawler.Sandbox.Pages;

namespace FunctionsCrawler.Sandbox;

/// <summary>
/// What the routes share. The catalog needs the site's real address (cover URLs point at it), which is
/// known only once Kestrel has bound, so requests wait for <see cref="Ready"/> before being served.
/// </summary>
internal sealed class SiteState(SandboxOptions options)
{
    private readonly TaskCompletionSource<SandboxCatalog> _catalog = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SandboxOptions Options { get; } = options;

    public PageCharset Charset { get; } = new(options);

    public RequestLog Log { get; } = new();

    public Task Ready => _catalog.Task;

    public SandboxCatalog Catalog => _catalog.Task.IsCompletedSuccessfully
        ? _catalog.Task.Result
        : throw new InvalidOperationException("The Sandbox site has not finished starting.");

    public void Open(SandboxCatalog catalog) => _catalog.TrySetResult(catalog);

    public void Abandon(Exception reason) => _catalog.TrySetException(reason);
}
