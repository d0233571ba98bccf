using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

/// <summary>A mutable state: every read builds its own instance.</summary>
[SessionState("basket")]
public partial class Basket
{
#pragma warning disable TS0006 // changed in place on purpose: the test shows such a change stays in its request
    public List<string> Items { get; set; } = [];
#pragma warning restore TS0006
}

/// <summary>An immutable state whose few stored bytes build a large object: a list node per boolean.</summary>
[SessionState("bits")]
public partial record Bits(System.Collections.Immutable.ImmutableList<bool> Values)
{
    public Bits() : this(System.Collections.Immutable.ImmutableList<bool>.Empty) { }
}

/// <summary>
/// A state the generator proves deeply immutable is deserialized once per stored version: every request
/// that reads that version gets the same instance. A mutable state never is, and a change is never missed.
/// </summary>
public sealed class SharedInstanceTests
{
    private readonly ConcurrentQueue<object> _seen = new();

    [Fact]
    public async Task Requests_reading_one_stored_version_of_an_immutable_state_share_one_instance_and_a_write_gives_a_new_one()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/increment");

        Assert.Equal("1", await browser.GetAsync("/seen/counter"));
        Assert.Equal("1", await browser.GetAsync("/seen/counter"));
        await browser.PostAsync("/counter/increment");
        Assert.Equal("2", await browser.GetAsync("/seen/counter"));
        Assert.Equal("2", await browser.GetAsync("/seen/counter"));

        var seen = _seen.ToArray();
        Assert.Same(seen[0], seen[1]);
        Assert.NotSame(seen[1], seen[2]);
        Assert.Same(seen[2], seen[3]);
    }

    [Fact]
    public async Task Another_session_with_the_same_value_does_not_get_this_sessions_instance()
    {
        await using var app = await StartAsync();
        var alice = app.NewClient();
        var bob = app.NewClient();
        await alice.PostAsync("/counter/increment");
        await bob.PostAsync("/counter/increment");

        Assert.Equal("1", await alice.GetAsync("/seen/counter"));
        Assert.Equal("1", await bob.GetAsync("/seen/counter"));

        var seen = _seen.ToArray();
        Assert.NotSame(seen[0], seen[1]);
    }

    [Fact]
    public async Task A_write_the_server_did_not_make_is_read_from_the_new_bytes_not_from_the_shared_instance()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/counter/increment");
        Assert.Equal("1", await browser.GetAsync("/seen/counter"));

        // Another server writes the slot straight into the store (this one gets no notice of it).
        var storeId = SessionStoreId.FromSessionId(app.SessionIdOf(browser));
        var bytes = Serialization.SessionStateSerializer.SerializeToArray(new Counter(41));
        var stored = await app.Store.LoadAsync(storeId, ["counter"], CancellationToken.None);
        Assert.True((await app.Store.SaveAsync(storeId, "counter", bytes, stored.Slots[0]!.Value.Version, createSession: false, CancellationToken.None)).Saved);

        Assert.Equal("41", await browser.GetAsync("/seen/counter"));
        Assert.Equal("41", await browser.GetAsync("/seen/counter"));
        var seen = _seen.ToArray();
        Assert.NotSame(seen[0], seen[1]);
        Assert.Same(seen[1], seen[2]);
    }

    [Fact]
    public async Task A_mutable_state_is_built_anew_for_each_request_so_a_change_in_place_stays_in_its_request()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/basket/tea");

        Assert.Equal("tea", await browser.GetAsync("/seen/basket/scribble"));
        Assert.Equal("tea", await browser.GetAsync("/seen/basket/scribble"));

        var seen = _seen.ToArray();
        Assert.NotSame(seen[0], seen[1]);
    }

    [Fact]
    public async Task A_state_stored_in_more_than_4_KB_is_not_kept_for_sharing_so_the_table_stays_small()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/note/" + new string('x', Core.SlotValues.MaxSharedBytes + 1));

        Assert.Equal(Core.SlotValues.MaxSharedBytes + 1, int.Parse(await browser.GetAsync("/seen/note-length"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Core.SlotValues.MaxSharedBytes + 1, int.Parse(await browser.GetAsync("/seen/note-length"), System.Globalization.CultureInfo.InvariantCulture));
        var seen = _seen.ToArray();
        Assert.NotSame(seen[0], seen[1]);
    }

    [Fact]
    public async Task A_value_that_takes_much_more_memory_than_its_bytes_is_not_kept_for_sharing()
    {
        await using var app = await StartAsync();
        var browser = app.NewClient();
        await browser.PostAsync("/bits/1000"); // about 1 KB stored, about 50 KB once built

        Assert.Equal("1000", await browser.GetAsync("/seen/bits"));
        Assert.Equal("1000", await browser.GetAsync("/seen/bits"));
        var seen = _seen.ToArray();
        Assert.NotSame(seen[0], seen[1]);
    }

    private Task<TestApp> StartAsync() => TestApp.StartAsync(endpoints: app =>
    {
        app.MapGet("/seen/counter", async (ISession<Counter> counter) =>
        {
            var value = await counter.GetAsync();
            _seen.Enqueue(value);
            return value.Value;
        });
        app.MapPost("/bits/{count:int}", async (int count, ISession<Bits> bits) =>
            await bits.SetAsync(new Bits(System.Collections.Immutable.ImmutableList.CreateRange(Enumerable.Repeat(true, count)))));
        app.MapGet("/seen/bits", async (ISession<Bits> bits) =>
        {
            var value = await bits.GetAsync();
            _seen.Enqueue(value);
            return value.Values.Count;
        });
        app.MapGet("/seen/note-length", async (ISession<Note> note) =>
        {
            var value = await note.GetAsync();
            _seen.Enqueue(value);
            return value.Text.Length;
        });
        app.MapPost("/basket/{item}", async (string item, ISession<Basket> basket) =>
            await basket.SetAsync(new Basket { Items = [item] }));
        app.MapGet("/seen/basket/scribble", async (ISession<Basket> basket) =>
        {
            var value = await basket.GetAsync();
            _seen.Enqueue(value);
            var items = string.Join(",", value.Items);
            value.Items.Add("scribbled in place, never saved");
            return items;
        });
    });
}
