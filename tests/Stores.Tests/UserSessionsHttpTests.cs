using TypedSessions.Tests.Shared;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Redis;
using TypedSessions.Sqlite;

namespace TypedSessions.Stores.Tests;

[SessionState("flash")]
public partial record Flash(string Message = "");

/// <summary>
/// Sessions of a user over HTTP, on each server store: sign-in with a device label, the list of a
/// user's sessions, "sign out other devices", an admin ending a user's or one session, flash messages
/// taken once, and the session-ended hooks for every reason.
/// </summary>
public abstract class UserSessionsHttpTests : IAsyncLifetime
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

    private readonly ConcurrentQueue<(string Handle, string? UserKey, SessionEndReason Reason)> _ended = new();
    private WebApplication _app = null!;

    protected ManualClock Clock { get; } = new();

    protected IServiceProvider Services => _app.Services;

    /// <summary>Chooses the store under test.</summary>
    protected abstract void UseStore(TypedSessionsBuilder sessions);

    /// <summary>Runs the store's own search for expired sessions now.</summary>
    protected abstract Task SweepAsync();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        var sessions = builder.Services.AddTypedSessions(o =>
        {
            o.IdleTimeout = StoreConformanceTests.IdleTimeout;
            o.AbsoluteLifetime = StoreConformanceTests.AbsoluteLifetime;
        });
        UseStore(sessions);
        sessions.OnSessionEnded((ended, _) =>
        {
            _ended.Enqueue((ended.Handle, ended.UserKey, ended.Reason));
            return ValueTask.CompletedTask;
        });
        sessions.OnSessionEnded((_, _) => throw new InvalidOperationException("a failing hook is logged and changes nothing"));

        _app = builder.Build();
        _app.UseTypedSessions();
        _app.MapPost("/sign-in/{user}", async (string user, ISessionContext s) => { await s.SignInAsync(user); return s.Handle; });
        _app.MapGet("/me", (ISessionContext s) => s.UserKey ?? "anonymous");
        _app.MapGet("/handle", (ISessionContext s) => s.Handle ?? "none");
        _app.MapGet("/sessions", async (ISessionContext s, ISessionDirectory directory) =>
            s.UserKey is { } user ? string.Join("\n", (await directory.GetSessionsAsync(user)).Select(i => $"{i.Handle} {i.Device}")) : "");
        _app.MapPost("/sign-out-others", async (ISessionContext s) => await s.InvalidateOtherSessionsAsync());
        _app.MapPost("/sign-out", async (ISessionContext s) => { await s.InvalidateAsync(); return "out"; });
        _app.MapPost("/admin/revoke-user/{user}", async (string user, ISessionDirectory directory) => await directory.InvalidateUserAsync(user));
        _app.MapPost("/admin/revoke/{handle}", async (string handle, ISessionDirectory directory) => await directory.InvalidateAsync(handle));
        _app.MapPost("/flash/{text}", async (string text, ISession<Flash> flash) => { await flash.SetAsync(new Flash(text)); return "set"; });
        _app.MapGet("/flash", async (ISession<Flash> flash) => (await flash.TakeAsync()).Message);
        await _app.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Sign_in_lists_each_device_and_sign_out_others_ends_them_at_once()
    {
        var laptop = Browser(Firefox);
        var phone = Browser(Safari);
        var laptopHandle = await laptop.PostAsync("/sign-in/alice");
        var phoneHandle = await phone.PostAsync("/sign-in/alice");
        await Browser(Firefox).PostAsync("/sign-in/bob");

        var listed = await phone.GetAsync("/sessions");
        Assert.Contains($"{laptopHandle} Firefox on Linux", listed, StringComparison.Ordinal);
        Assert.Contains($"{phoneHandle} Safari on iOS", listed, StringComparison.Ordinal);
        Assert.Equal(2, listed.Split('\n').Length);
        Assert.Equal(phoneHandle, await phone.GetAsync("/handle"));
        Assert.DoesNotContain(phoneHandle, phone.CookieHeader, StringComparison.Ordinal); // a handle is not the cookie

        Assert.Equal("1", await phone.PostAsync("/sign-out-others"));

        Assert.Equal("anonymous", await laptop.GetAsync("/me"));
        Assert.Equal("alice", await phone.GetAsync("/me"));
        Assert.Equal($"{phoneHandle} Safari on iOS", await phone.GetAsync("/sessions"));
        await WaitForEndedAsync(1);
        Assert.Equal([(laptopHandle, "alice", SessionEndReason.Revoked)], _ended);
    }

    [Fact]
    public async Task An_admin_ends_every_session_of_a_user_or_one_by_its_handle()
    {
        var first = Browser(Firefox);
        var second = Browser(Safari);
        var third = Browser(Firefox);
        await first.PostAsync("/sign-in/alice");
        await second.PostAsync("/sign-in/alice");
        var thirdHandle = await third.PostAsync("/sign-in/carol");

        Assert.Equal("2", await Browser(null).PostAsync("/admin/revoke-user/alice"));
        Assert.Equal("true", await Browser(null).PostAsync($"/admin/revoke/{thirdHandle}"));
        Assert.Equal("false", await Browser(null).PostAsync($"/admin/revoke/{thirdHandle}"));
        Assert.Equal("false", await Browser(null).PostAsync("/admin/revoke/not-a-handle"));

        Assert.Equal("anonymous", await first.GetAsync("/me"));
        Assert.Equal("anonymous", await second.GetAsync("/me"));
        Assert.Equal("anonymous", await third.GetAsync("/me"));
        await WaitForEndedAsync(3);
        Assert.Equal(3, _ended.Count(static e => e.Reason == SessionEndReason.Revoked));
    }

    [Fact]
    public async Task Sign_out_and_expiry_run_the_hooks_once_each_with_the_user()
    {
        var leaving = Browser(Firefox);
        var idle = Browser(Firefox);
        var leavingHandle = await leaving.PostAsync("/sign-in/alice");
        var idleHandle = await idle.PostAsync("/sign-in/bob");

        await leaving.PostAsync("/sign-out");
        Clock.Advance(StoreConformanceTests.IdleTimeout * 1.1);
        await SweepAsync();
        await SweepAsync();

        await WaitForEndedAsync(2);
        await Task.Delay(100); // nothing more arrives
        Assert.Equal(
            [(idleHandle, "bob", SessionEndReason.Expired), (leavingHandle, "alice", SessionEndReason.Invalidated)],
            _ended.OrderBy(static e => e.UserKey, StringComparer.Ordinal).Reverse());
        Assert.Equal("anonymous", await idle.GetAsync("/me"));
    }

    [Fact]
    public async Task A_flash_is_taken_once_even_by_concurrent_requests()
    {
        var browser = Browser(Firefox);
        Assert.Equal("", await browser.GetAsync("/flash")); // nothing to take: no session is started for it
        Assert.Null(browser.Cookie);

        await browser.PostAsync("/flash/saved");
        Assert.Equal("saved", await browser.GetAsync("/flash"));
        Assert.Equal("", await browser.GetAsync("/flash"));

        await browser.PostAsync("/flash/once");
        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => browser.GetAsync("/flash"))));
        Assert.Equal(1, taken.Count(static t => t == "once"));
        Assert.Equal(19, taken.Count(static t => t == ""));
    }

    private async Task WaitForEndedAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_ended.Count < count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private Client Browser(string? userAgent) => new(_app.GetTestServer(), userAgent);

    /// <summary>One browser: it keeps the session cookie between requests.</summary>
    private sealed class Client(TestServer server, string? userAgent)
    {
        public string? Cookie { get; private set; }

        public string CookieHeader => Cookie ?? "";

        public Task<string> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

        public Task<string> PostAsync(string path) => SendAsync(HttpMethod.Post, path);

        private async Task<string> SendAsync(HttpMethod method, string path)
        {
            using var client = server.CreateClient();
            using var request = new HttpRequestMessage(method, path);
            if (userAgent is not null)
            {
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            }

            if (Cookie is not null)
            {
                request.Headers.Add("Cookie", Cookie);
            }

            using var response = await client.SendAsync(request);
            foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = setCookie.Split(';')[0];
                Cookie = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) ? null : pair;
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {body}");
            return body.Trim('"');
        }
    }
}

public sealed class MemoryUserSessionsHttpTests : UserSessionsHttpTests
{
    protected override void UseStore(TypedSessionsBuilder sessions) => sessions.UseMemoryStore();

    protected override Task SweepAsync()
    {
        Services.GetRequiredService<MemorySessionStore>().SweepExpired();
        return Task.CompletedTask;
    }
}

public sealed class SqliteUserSessionsHttpTests : UserSessionsHttpTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("typedsessions-users-").FullName;

    protected override void UseStore(TypedSessionsBuilder sessions) =>
        sessions.UseSqliteStore(o => o.ConnectionString = $"Data Source={Path.Combine(_directory, "sessions.db")}");

    protected override Task SweepAsync()
    {
        Services.GetRequiredService<SqliteSessionStore>().DeleteExpired();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class RedisUserSessionsHttpTests(RedisServerFixture redis) : UserSessionsHttpTests, IClassFixture<RedisServerFixture>
{
    protected override void UseStore(TypedSessionsBuilder sessions) => sessions.UseRedisStore(o =>
    {
        o.Configuration = redis.Server.Configuration;
        o.KeyPrefix = RedisStores.NewPrefix();
    });

    protected override Task SweepAsync() => Services.GetRequiredService<RedisSessionStore>().SweepExpiredAsync();
}
