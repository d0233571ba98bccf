using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// A flood of one-shot anonymous sessions, ten times the memory store's bound, cannot evict a signed-in
/// session or one used on more than one request.
/// </summary>
public sealed class EvictionFloodTests
{
    private const int MaxSessions = 200;

    [Fact]
    public async Task Signed_in_and_returning_sessions_survive_a_flood_ten_times_the_bound()
    {
        await using var app = await TestApp.StartAsync(
            services: s => s.Configure<MemorySessionStoreOptions>(o => o.MaxSessions = MaxSessions),
            endpoints: a => a.MapPost("/two-states", async (ISession<Counter> c, ISession<Note> n) =>
            {
                await c.UpdateAsync(static x => x with { Value = x.Value + 1 });
                await n.SetAsync(new Note((await n.GetAsync()).Text + "!")); // a second slot, read in the same request
                return "ok";
            }));
        var signedIn = app.NewClient();
        await signedIn.PostAsync("/note/alice");
        await signedIn.PostAsync("/renew");
        var returning = app.NewClient();
        await returning.PostAsync("/counter/increment");
        await returning.PostAsync("/counter/increment");

        for (var i = 0; i < MaxSessions * 10; i++)
        {
            app.Time.Advance(TimeSpan.FromMilliseconds(5));
            await app.NewClient().PostAsync(i % 2 == 0 ? "/counter/increment" : "/two-states");
        }

        var store = app.Services.GetRequiredService<MemorySessionStore>();
        Assert.InRange(store.Count, 1, MaxSessions);
        Assert.Equal("alice", await signedIn.GetAsync("/note"));
        Assert.Equal("2", await returning.GetAsync("/counter"));
    }

    [Fact]
    public async Task Established_sessions_are_evicted_too_when_they_alone_exceed_the_bound()
    {
        await using var app = await TestApp.StartAsync(services: s => s.Configure<MemorySessionStoreOptions>(o => o.MaxSessions = 20));
        var clients = new List<CookieClient>();
        for (var i = 0; i < 30; i++)
        {
            var client = app.NewClient();
            app.Time.Advance(TimeSpan.FromMilliseconds(5));
            await client.PostAsync("/counter/increment");
            await client.PostAsync("/counter/increment");
            clients.Add(client);
        }

        Assert.InRange(app.Services.GetRequiredService<MemorySessionStore>().Count, 1, 20);
        Assert.Equal("2", await clients[^1].GetAsync("/counter")); // the most recent is kept
    }
}
