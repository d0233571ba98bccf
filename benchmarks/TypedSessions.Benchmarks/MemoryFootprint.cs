using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;

namespace TypedSessions.Benchmarks;

/// <summary>
/// The memory store at scale (not BenchmarkDotNet: a fill of a million sessions is one measurement, not
/// a loop). For each size it fills a fresh store with sessions of one 64-byte slot and reports the heap
/// growth per session beyond the payload (GC.GetTotalMemory(true) before and after), then times a read
/// (one load) and a read-modify-write (a load and a conditional save) of random sessions, so that the
/// per-request cost at 1,000 sessions can be set beside the cost at 1,000,000.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- memory</c>
/// (add sizes to choose them, e.g. <c>memory 1000 100000 1000000</c>). Needs about 1 GB of heap at a
/// million sessions.
/// </remarks>
internal static class MemoryFootprint
{
    private const int PayloadSize = 64;
    private const int TimedOperations = 1_000_000;
    private static readonly string[] s_keys = ["cart"];

    public static async Task RunAsync(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [1_000, 100_000, 1_000_000];
        Console.WriteLine($"Memory store: sessions of one {PayloadSize}-byte slot; {Environment.ProcessorCount} cores, server GC: {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine();
        Console.WriteLine("| sessions | heap growth | bytes per session beyond the payload | read (load) | read-modify-write (load + save) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (perSession, growth, read, write) = await MeasureAsync(size);
            Console.WriteLine($"| {size:N0} | {growth / 1024.0 / 1024.0:N1} MiB | {perSession:N1} | {read:N0} ns | {write:N0} ns |");
        }
    }

    private static async Task<(double PerSession, long Growth, double ReadNs, double WriteNs)> MeasureAsync(int count)
    {
        // The IDs and the payloads are made before the first reading: they are the caller's, not the store's.
        var ids = new SessionStoreId[count];
        var id = new byte[SessionStoreId.SessionIdSize];
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(id);
            ids[i] = SessionStoreId.FromSessionId(id);
        }

        var payload = new byte[PayloadSize];
        RandomNumberGenerator.Fill(payload);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = NewStore(count);
        for (var i = 0; i < count; i++)
        {
            await store.SaveAsync(ids[i], "cart", payload, StoredSlot.Absent, createSession: true, CancellationToken.None);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (store.Count != count)
        {
            throw new InvalidOperationException($"The store holds {store.Count} sessions, not {count}.");
        }

        var growth = after - before;
        var perSession = ((double)growth / count) - PayloadSize;

        // Random sessions, so that a large store pays its cache misses as a real one does.
        var random = new Random(42);
        var picks = new int[TimedOperations];
        for (var i = 0; i < picks.Length; i++)
        {
            picks[i] = random.Next(count);
        }

        await TimeAsync(store, ids, picks[..10_000], write: false); // warm-up
        var read = await TimeAsync(store, ids, picks, write: false);
        var write = await TimeAsync(store, ids, picks, write: true);
        GC.KeepAlive(store);
        store.Dispose();
        return (perSession, growth, read, write);
    }

    private static async Task<double> TimeAsync(MemorySessionStore store, SessionStoreId[] ids, int[] picks, bool write)
    {
        var watch = Stopwatch.StartNew();
        foreach (var pick in picks)
        {
            var loaded = await store.LoadAsync(ids[pick], s_keys, CancellationToken.None);
            if (write)
            {
                var slot = loaded.Slots[0]!.Value;
                await store.SaveAsync(ids[pick], "cart", slot.Data, slot.Version, createSession: false, CancellationToken.None);
            }
        }

        return watch.Elapsed.TotalNanoseconds / picks.Length;
    }

    private static MemorySessionStore NewStore(int count) => new(
        Options.Create(new TypedSessionsOptions()),
        Options.Create(new MemorySessionStoreOptions { MaxSessions = count * 2, MaxBytes = long.MaxValue }),
        TimeProvider.System,
        NullLogger<MemorySessionStore>.Instance);
}
