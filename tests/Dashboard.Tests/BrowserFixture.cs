using Microsoft.Playwright;

namespace FunctionsCrawler.Dashboard.Tests;

/// <summary>One headless Debian chromium (driven by Playwright) and one fake status server for the
/// whole browser collection. Playwright's own browser download is not used: CI installs chromium.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public FakeStatusServer Server { get; private set; } = null!;

    /// <summary>Where test artifacts (screenshots) go: TestResults/ under the test's base directory.</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromium;

    public async Task InitializeAsync()
    {
        Server = await FakeStatusServer.StartAsync();
        if (!File.Exists(ChromiumPath))
        {
            _unavailable = $"Chromium was not found at {ChromiumPath}. The dashboard's browser tests need Debian's chromium: "
                + "run `apt-get install chromium` (as root), or set CHROMIUM_PATH to a Chromium binary.";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 20_000,
        });
    }

    /// <summary>A fresh page in its own context; fails the test with the install hint when chromium is missing.</summary>
    public async Task<IPage> NewPageAsync(int width = 1100, int height = 900, string timezone = "Asia/Shanghai")
    {
        if (_browser is null) throw new InvalidOperationException(_unavailable ?? "The browser did not start.");
        var context = await _browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = timezone,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
