using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Cookies;
using TypedSessions.Core;
using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// Change notices between the scopes of one session: a long-lived scope (as a Blazor circuit is)
/// watching a slot hears of writes made by HTTP requests, and lets go of the feed when it ends.
/// </summary>
public sealed class ChangeNoticeTests
{
    [Fact]
    public async Task A_watching_scope_hears_of_a_request_s_write_and_then_reads_the_new_value()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/1");
        using var circuit = AttachedScope(app, browser);
        var counter = circuit.Counter;
        Assert.Equal(1, (await counter.GetAsync()).Value);
        var heard = new Notices();
        using var _ = counter.Subscribe(heard.Record);

        await browser.PostAsync("/counter/increment");

        await heard.WaitForAsync(1);
        Assert.Equal(2, (await counter.GetAsync()).Value);
    }

    [Fact]
    public async Task Watchers_hear_only_of_their_own_slot_and_this_scope_s_writes_cost_no_reload()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/1");
        using var circuit = AttachedScope(app, browser);
        var counterNotices = new Notices();
        var noteNotices = new Notices();
        using var a = circuit.Counter.Subscribe(counterNotices.Record);
        using var b = circuit.Note.Subscribe(noteNotices.Record);
        await circuit.Counter.GetAsync();
        var loadsBefore = app.Store.Loads;

        await circuit.Counter.UpdateAsync(static c => c with { Value = 10 });

        await counterNotices.WaitForAsync(1);
        Assert.Equal(10, (await circuit.Counter.GetAsync()).Value);
        Assert.Equal(loadsBefore, app.Store.Loads);
        Assert.Equal(0, noteNotices.Count);
    }

    [Fact]
    public async Task The_feed_subscription_ends_with_the_scope()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/1");
        var feed = (InProcessSessionChangeFeed)app.Services.GetRequiredService<ISessionChangeFeed>();

        var circuit = AttachedScope(app, browser);
        circuit.Counter.Subscribe(static () => Task.CompletedTask); // never disposed by the caller
        circuit.Note.Subscribe(static () => Task.CompletedTask);
        Assert.Equal(1, feed.ListenerCount); // one per scope, whatever the number of watchers

        circuit.Dispose();

        Assert.Equal(0, feed.ListenerCount);
    }

    [Fact]
    public async Task A_renew_elsewhere_tells_the_watchers_and_leaves_them_nothing_of_the_old_id()
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/5");
        using var circuit = AttachedScope(app, browser);
        Assert.Equal(5, (await circuit.Counter.GetAsync()).Value);
        var heard = new Notices();
        using var _ = circuit.Counter.Subscribe(heard.Record);

        await browser.PostAsync("/renew");

        await heard.WaitForAsync(1);
        Assert.Equal(0, (await circuit.Counter.GetAsync()).Value);
        Assert.Equal("5", await browser.GetAsync("/counter"));
    }

    [Theory]
    [InlineData("/invalidate")]
    [InlineData("/renew")]
    public async Task A_circuit_cannot_write_its_session_back_after_a_sign_out_or_renew_elsewhere(string elsewhere)
    {
        await using var app = await TestApp.StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/set/41");
        var oldId = SessionStoreId.FromSessionId(app.SessionIdOf(browser));
        using var circuit = AttachedScope(app, browser);
        var stale = await circuit.Counter.GetAsync();
        var heard = new Notices();
        using var _ = circuit.Counter.Subscribe(heard.Record);

        await browser.PostAsync(elsewhere);
        await heard.WaitForAsync(1);

        await Assert.ThrowsAsync<SessionEndedException>(async () => await circuit.Counter.UpdateAsync(static c => c with { Value = c.Value + 1 }));
        await Assert.ThrowsAsync<SessionEndedException>(async () => await circuit.Counter.SetAsync(stale with { Value = 99 }));
        Assert.Equal(0, (await circuit.Counter.GetAsync()).Value);
        Assert.False((await app.Store.LoadAsync(oldId, ["counter"], default)).Exists);
        Assert.Equal(elsewhere == "/renew" ? "41" : "0", await browser.GetAsync("/counter"));
    }

    private static Scope AttachedScope(TestApp app, CookieClient browser)
    {
        var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ActiveSession>().Attach(SessionCookieId.Of(app.SessionIdOf(browser)), SessionHost.Unbound);
        return new Scope(scope);
    }

    private sealed class Scope(IServiceScope scope) : IDisposable
    {
        public ISession<Counter> Counter { get; } = scope.ServiceProvider.GetRequiredService<ISession<Counter>>();

        public ISession<Note> Note { get; } = scope.ServiceProvider.GetRequiredService<ISession<Note>>();

        public void Dispose() => scope.Dispose();
    }

    private sealed class Notices
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Record()
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Count < count)
            {
                await Task.Delay(10, timeout.Token);
            }
        }
    }
}
