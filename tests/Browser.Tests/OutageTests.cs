using System.Net;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Browser.Tests;

/// <summary>
/// The sample on a real Redis that goes away: a clear 503 with its own body (the sample's status code
/// pages must not re-run the request), never a silently dropped write.
/// </summary>
public sealed class OutageTests : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("typedsessions-outage-keys-").FullName;
    private RedisServer _redis = null!;
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _app = await SampleApp.StartAsync(new Dictionary<string, string>
        {
            ["TypedSessions:Store"] = "redis",
            ["ConnectionStrings:Redis"] = _redis.Configuration,
            ["TypedSessions:KeysPath"] = _keys,
        });
    }

    [Fact]
    public async Task Requests_get_503_with_retry_after_while_redis_is_down()
    {
        var cookies = new CookieContainer();
        using var http = CartApiClient.Create(_app.BaseAddress, cookies);
        await CartApiClient.AddAsync(http, "mug");

        await _redis.DisposeAsync();
        using var write = await http.PostAsync(new Uri("/api/cart/kettle", UriKind.Relative), null);
        using var read = await http.GetAsync(new Uri("/api/cart", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.NotNull(write.Headers.RetryAfter);
        Assert.Contains("session store is unavailable", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The Redis session store failed to", _app.Output, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }
}
