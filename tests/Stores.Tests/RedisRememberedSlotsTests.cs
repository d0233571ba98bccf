using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedSessions.Redis;

namespace TypedSessions.Stores.Tests;

[SessionState("counter")]
public partial record Counter(int Value = 0);

/// <summary>
/// Updates from the copy a server remembers of a slot it last read or wrote in Redis (one round trip
/// instead of a load and a save), on a farm of two servers sharing one redis-server: the copy saves a
/// command when it is current and is never trusted when it is not (another server wrote, the session
/// ended, the update changes nothing).
/// </summary>
public sealed class RedisRememberedSlotsTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = RedisStores.NewPrefix();
    private WebApplication _a = null!;
    private WebApplication _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartServerAsync();
        _b = await StartServerAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task An_update_of_a_slot_this_server_wrote_is_one_command_and_one_written_through_another_server_is_not_lost()
    {
        var browser = new Browser();
        Assert.Equal("1", await browser.SendAsync(_a, "/count"));

        // The save's script alone: its HMGET, HSET, PEXPIRE and PUBLISH run inside Redis. A load first
        // would add a second HMGET.
        var commands = await CountCommandsAsync(() => browser.SendAsync(_a, "/count"), "2");
        Assert.Equal(["evalsha", "hmget", "hset", "pexpire", "publish"], commands);

        Assert.Equal("3", await browser.SendAsync(_b, "/count")); // A's copy is now behind
        Assert.Equal("4", await browser.SendAsync(_a, "/count"));
        Assert.Equal("5", await browser.SendAsync(_a, "/count"));
        Assert.Equal("5", await browser.SendAsync(_b, "/read"));
    }

    [Fact]
    public async Task An_update_that_changes_nothing_answers_what_the_store_holds_not_the_remembered_copy()
    {
        var browser = new Browser();
        await browser.SendAsync(_a, "/count");
        await browser.SendAsync(_a, "/count");
        Assert.Equal("3", await browser.SendAsync(_b, "/count"));

        Assert.Equal("3", await browser.SendAsync(_a, "/same"));
    }

    [Fact]
    public async Task An_update_from_the_copy_of_a_session_signed_out_elsewhere_starts_a_new_session_and_leaves_the_old_one_ended()
    {
        var browser = new Browser();
        await browser.SendAsync(_a, "/count");
        await browser.SendAsync(_a, "/count");
        var old = browser.Cookie;
        Assert.Equal("out", await browser.SendAsync(_b, "/sign-out"));
        browser.Cookie = old; // a second tab still sends the old cookie

        Assert.Equal("1", await browser.SendAsync(_a, "/count"));

        Assert.NotNull(browser.Cookie);
        Assert.NotEqual(old, browser.Cookie);
        browser.Cookie = old;
        Assert.Equal("0", await browser.SendAsync(_b, "/read"));
    }

    [Fact]
    public async Task The_signed_in_user_is_known_after_an_update_from_the_remembered_copy()
    {
        var browser = new Browser();
        Assert.Equal("alice", await browser.SendAsync(_a, "/sign-in/alice"));
        await browser.SendAsync(_a, "/count");

        Assert.Equal("2 alice", await browser.SendAsync(_a, "/count-and-user"));
    }

    private async Task<WebApplication> StartServerAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddTypedSessions().UseRedisStore(o =>
        {
            o.Configuration = redis.Server.Configuration;
            o.KeyPrefix = _prefix;
        });
        var app = builder.Build();
        app.UseTypedSessions();
        app.MapPost("/count", async (ISession<Counter> counter) => (await counter.UpdateAsync(static c => c with { Value = c.Value + 1 })).Value);
        app.MapPost("/same", async (ISession<Counter> counter) => (await counter.UpdateAsync(static c => c)).Value);
        app.MapPost("/read", async (ISession<Counter> counter) => (await counter.GetAsync()).Value);
        app.MapPost("/count-and-user", async (ISession<Counter> counter, ISessionContext session) =>
            $"{(await counter.UpdateAsync(static c => c with { Value = c.Value + 1 })).Value} {session.UserKey}");
        app.MapPost("/sign-in/{user}", async (string user, ISessionContext session) => { await session.SignInAsync(user); return session.UserKey; });
        app.MapPost("/sign-out", async (ISessionContext session) => { await session.InvalidateAsync(); return "out"; });
        await app.StartAsync();
        return app;
    }

    // The commands Redis ran while the farm answered one request (its answer checked), by name, a
    // script's own calls included (Redis counts those too), connection housekeeping left out.
    private async Task<string[]> CountCommandsAsync(Func<Task<string>> request, string expected)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration + ",allowAdmin=true");
        var server = admin.GetServer(redis.Server.Configuration);
        await server.ConfigResetStatisticsAsync();
        Assert.Equal(expected, await request());
        var stats = await server.InfoAsync("commandstats");
        return [.. stats.SelectMany(static g => g)
            .Select(static kv => (Name: kv.Key.Replace("cmdstat_", "", StringComparison.Ordinal), Calls: int.Parse(kv.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture)))
            .Where(static c => !Housekeeping.Any(h => c.Name.StartsWith(h, StringComparison.Ordinal)))
            .SelectMany(static c => Enumerable.Repeat(c.Name, c.Calls))
            .Order(StringComparer.Ordinal)];
    }

    private static readonly string[] Housekeeping = ["info", "config", "client", "ping", "echo", "cluster", "command", "subscribe"];

    /// <summary>One browser across the farm: it keeps the session cookie between requests to either server.</summary>
    private sealed class Browser
    {
        public string? Cookie { get; set; }

        public async Task<string> SendAsync(WebApplication server, string path)
        {
            using var client = server.GetTestServer().CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            if (Cookie is not null)
            {
                request.Headers.Add("Cookie", Cookie);
            }

            using var response = await client.SendAsync(request);
            foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                Cookie = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) ? null : setCookie.Split(';')[0];
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode} {body}");
            return body.Trim('"');
        }
    }
}
