using Microsoft.Playwright;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// One headless Debian Chromium (installed by test.sh) driven by Playwright, and one sample app
/// process, shared by the tests of a class. Each test opens its own browser context: its own cookies.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    internal SampleApp App { get; private set; } = null!;

    /// <summary>Configuration for the sample (none: its defaults, the memory store).</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    public async Task InitializeAsync()
    {
        App = await SampleApp.StartAsync(Settings);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, with nothing that would reach beyond loopback.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run the tests through test.sh, which installs Debian's chromium.");
        }

        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>A fresh browser profile (its own cookie jar) pointed at <paramref name="baseAddress"/> or the app.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri? baseAddress = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = (baseAddress ?? App.BaseAddress).ToString() });
}
