using Microsoft.Playwright;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// A two-server web farm: two processes of the sample on two loopback ports, sharing one real Redis
/// (their store and their change feed) and one Data Protection key ring in a folder; plus Chromium.
/// </summary>
public sealed class WebFarmFixture : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("typedsessions-keys-").FullName;
    private IPlaywright? _playwright;
    private RedisServer? _redis;

    internal SampleApp ServerA { get; private set; } = null!;

    internal SampleApp ServerB { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["TypedSessions:Store"] = "redis",
            ["ConnectionStrings:Redis"] = _redis.Configuration,
            ["TypedSessions:KeysPath"] = _keys,
        };

        // A first, alone, so that it creates the key ring B then reads rather than both creating one.
        ServerA = await SampleApp.StartAsync(settings);
        using (var http = new HttpClient { BaseAddress = ServerA.BaseAddress })
        {
            (await http.PostAsync(new Uri("/api/cart/mug", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        ServerB = await SampleApp.StartAsync(settings);
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        foreach (var app in new[] { ServerA, ServerB })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        Directory.Delete(_keys, recursive: true);
    }
}
