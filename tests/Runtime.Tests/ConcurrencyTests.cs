using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// Requests of one session racing each other: writers of one slot on one server never fail, and a
/// request still running when another signs out (or renews) cannot bring the session or its data back.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Sixteen_concurrent_writers_of_one_slot_end_exact_with_no_failed_request()
    {
        await using var app = await TestApp.StartAsync(endpoints: MapSlowIncrement);
        var browser = app.NewClient();
        await browser.PostAsync("/counter/increment");

        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                var response = await browser.SendRawAsync(HttpMethod.Post, i % 2 == 0 ? "/counter/increment" : "/counter/increment-slowly");
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));

        Assert.Equal(0, failures);
        Assert.Equal((1 + (16 * 500)).ToString(System.Globalization.CultureInfo.InvariantCulture), await browser.GetAsync("/counter"));
    }

    [Fact]
    public async Task Writers_that_keep_conflicting_across_servers_get_a_409_not_a_500()
    {
        // Another server writes the slot between every read and write of this one.
        using var memory = new MemorySessionStore(Options.Create(new TypedSessionsOptions()), Options.Create(new MemorySessionStoreOptions()), TimeProvider.System, NullLogger<MemorySessionStore>.Instance);
        await using var app = await TestApp.StartAsync(o => o.MaxUpdateAttempts = 3, store: new ContendedStore(memory));
        var browser = app.NewClient();
        await browser.PostAsync("/note/start");

        var response = await browser.SendRawAsync(HttpMethod.Post, "/counter/increment");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("try again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/invalidate")]
    [InlineData("/renew")]
    public async Task A_slow_request_racing_a_sign_out_cannot_bring_the_session_or_its_data_back(string signOut)
    {
        var gate = new RaceGate();
        await using var app = await TestApp.StartAsync(endpoints: a => MapReadWaitWrite(a, gate));
        var browser = app.NewClient();
        await browser.PostAsync("/note/secret");
        await browser.PostAsync("/counter/set/41");
        var oldId = SessionStoreId.FromSessionId(app.SessionIdOf(browser));

        // The slow request reads with the old cookie and waits; meanwhile the browser signs out.
        var slow = browser.SendRawAsync(HttpMethod.Post, "/counter/read-wait-write");
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await browser.PostAsync(signOut);
        var cookieAfterSignOut = browser.SessionCookie()?.Value;
        gate.Release.SetResult();
        var late = await slow;

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.False((await app.Store.LoadAsync(oldId, ["counter", "note"], default)).Exists);
        Assert.Equal(cookieAfterSignOut, browser.SessionCookie()?.Value); // the late response set no cookie
        var expected = signOut == "/renew" ? "41" : "0"; // renew kept the data under the new ID; sign-out ended it
        Assert.Equal(expected, await browser.GetAsync("/counter"));
        if (signOut == "/invalidate")
        {
            Assert.Equal("", await browser.GetAsync("/note"));
        }
    }

    [Fact]
    public async Task A_slow_update_racing_a_sign_out_is_refused_too()
    {
        var gate = new RaceGate();
        await using var app = await TestApp.StartAsync(endpoints: a => MapReadWaitWrite(a, gate));
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/41");

        var slow = browser.SendRawAsync(HttpMethod.Post, "/counter/read-wait-update");
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await browser.PostAsync("/invalidate");
        gate.Release.SetResult();

        Assert.Equal(HttpStatusCode.Conflict, (await slow).StatusCode);
        Assert.Null(browser.SessionCookie());
        Assert.Equal(0, app.Services.GetRequiredService<MemorySessionStore>().Count);
    }

    [Fact]
    public async Task A_request_sent_with_the_old_cookie_while_a_sign_in_renews_it_cannot_start_a_competing_session()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/41");
        var oldCookie = browser.SessionCookie()!.Value;
        await browser.PostAsync("/renew"); // the sign-in: the browser now holds the new cookie
        var signedIn = browser.SessionCookie()!.Value;

        // A request that left the browser before the sign-in's answer arrived, with the old cookie.
        var late = app.NewClient();
        late.SetSessionCookie(oldCookie);
        var response = await late.SendRawAsync(HttpMethod.Post, "/counter/increment");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("41", await browser.GetAsync("/counter"));
        Assert.Equal(signedIn, browser.SessionCookie()!.Value);

        app.Time.Advance(TimeSpan.FromMinutes(2)); // long after the sign-in, an old cookie is just an unknown ID
        Assert.Equal("1", await late.PostAsync("/counter/increment"));
    }

    [Fact]
    public async Task A_scope_that_signs_out_itself_carries_on_as_a_fresh_session()
    {
        await using var app = await TestApp.StartAsync(endpoints: a => a.MapPost("/sign-out-and-note", async (ISessionContext s, ISession<Note> n) =>
        {
            await s.InvalidateAsync();
            await n.SetAsync(new Note("signed out"));
            return "ok";
        }));
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/5");
        var before = browser.SessionCookie()!.Value;

        await browser.PostAsync("/sign-out-and-note");

        Assert.NotEqual(before, browser.SessionCookie()!.Value);
        Assert.Equal("signed out", await browser.GetAsync("/note"));
        Assert.Equal("0", await browser.GetAsync("/counter"));
    }

    private static void MapSlowIncrement(WebApplication app) =>
        app.MapPost("/counter/increment-slowly", async (ISession<Counter> c) => (await c.UpdateAsync(static x =>
        {
            Thread.Sleep(1); // an update function that takes a millisecond
            return x with { Value = x.Value + 1 };
        })).Value);

    private static void MapReadWaitWrite(WebApplication app, RaceGate gate)
    {
        app.MapPost("/counter/read-wait-write", async (ISession<Counter> c) =>
        {
            var value = await c.GetAsync();
            gate.Reached.TrySetResult();
            await gate.Release.Task;
            await c.SetAsync(value with { Value = value.Value + 1 });
            return "written";
        });
        app.MapPost("/counter/read-wait-update", async (ISession<Counter> c) =>
        {
            await c.GetAsync();
            gate.Reached.TrySetResult();
            await gate.Release.Task;
            await c.UpdateAsync(x => x with { Value = x.Value + 1 });
            return "written";
        });
    }

    private sealed class RaceGate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
