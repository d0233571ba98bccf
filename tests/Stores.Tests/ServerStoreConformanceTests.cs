using System.Security.Cryptography;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// The part of the contract only a store on a server can keep: many concurrent writers of one slot
/// (a browser keeps whichever cookie came last), and slots of any size (cookies have a budget).
/// </summary>
public abstract class ServerStoreConformanceTests : StoreConformanceTests
{
    [Fact]
    public async Task Fifty_concurrent_compare_and_set_writers_lose_no_update()
    {
        var session = NewSession();
        await SaveAsync(session, "counter", "0");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var current = (await Store.LoadAsync(session, ["counter"], CancellationToken.None)).Slots[0]!.Value;
                var next = int.Parse(System.Text.Encoding.UTF8.GetString(current.Data.Span), System.Globalization.CultureInfo.InvariantCulture) + 1;
                var saved = await Store.SaveAsync(session, "counter", Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), current.Version, createSession: true, CancellationToken.None);
                if (saved.Saved)
                {
                    return;
                }
            }
        })));

        Assert.Equal("50", await ReadAsync(session, "counter"));
    }

    [Fact]
    public async Task A_one_megabyte_slot_round_trips()
    {
        var session = NewSession();
        var large = RandomNumberGenerator.GetBytes(1024 * 1024);

        await Store.SaveAsync(session, "large", large, StoredSlot.AnyVersion, createSession: true, CancellationToken.None);

        var result = await Store.LoadAsync(session, ["large"], CancellationToken.None);
        Assert.True(result.Slots[0]!.Value.Data.Span.SequenceEqual(large));
    }
}
