using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.AspNetCore.Http;

namespace TypedSessions.Benchmarks;

/// <summary>
/// Where a request's bytes go: runs the session layer's read, then its read-modify-write (SessionLayerBenchmarks'
/// pipeline: the middleware and a handler in a request scope) many times, with no session and with TypedSessions,
/// reports the exact bytes per request (GC.GetTotalAllocatedBytes) and, from the runtime's allocation
/// sampling (an event about every 100 KB, naming the type that crossed it), the share of each type.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/TypedSessions.Benchmarks -- alloc</c>.</remarks>
internal static class AllocationProfile
{
    private const int Requests = 200_000;

    public static async Task RunAsync()
    {
        await using var none = await SessionLayerBenchmarks.CreateNoSessionLayerAsync();
        await using var typed = await SessionLayerBenchmarks.CreateTypedLayerAsync();

        await CompareAsync("read", HttpMethods.Get, none, typed);
        Console.WriteLine();
        await CompareAsync("read-modify-write", HttpMethods.Post, none, typed);
    }

    private static async Task CompareAsync(string label, string method, SessionLayerBenchmarks.Layer none, SessionLayerBenchmarks.Layer typed)
    {
        using var noneSamples = new AllocationListener();
        var noneBytes = await MeasureAsync(none, method, noneSamples);
        noneSamples.Dispose();
        using var typedSamples = new AllocationListener();
        var typedBytes = await MeasureAsync(typed, method, typedSamples);
        typedSamples.Dispose();
        Console.WriteLine($"Bytes allocated per {label} request (session layer, {Requests:N0} requests): no session {noneBytes:N0}, TypedSessions {typedBytes:N0}, difference {typedBytes - noneBytes:N0}.");
        Console.WriteLine();
        Console.WriteLine("| type (sampled about every 100 KB) | ≈ bytes per request, no session | ≈ bytes per request, TypedSessions | difference |");
        Console.WriteLine("|---|---:|---:|---:|");
        var noneTotal = (double)noneSamples.Samples.Values.Sum();
        var typedTotal = (double)typedSamples.Samples.Values.Sum();
        var rows = typedSamples.Samples.Keys.Union(noneSamples.Samples.Keys).Select(type =>
        {
            var n = noneBytes * noneSamples.Samples.GetValueOrDefault(type) / noneTotal;
            var t = typedBytes * typedSamples.Samples.GetValueOrDefault(type) / typedTotal;
            return (Type: type, None: n, Typed: t);
        });
        foreach (var (type, n, t) in rows.OrderByDescending(static r => r.Typed - r.None).Take(25))
        {
            Console.WriteLine($"| `{type}` | {n:N0} | {t:N0} | {t - n:N0} |");
        }
    }

    private static async Task<double> MeasureAsync(SessionLayerBenchmarks.Layer layer, string method, AllocationListener sample)
    {
        for (var i = 0; i < 20_000; i++)
        {
            await layer.RunAsync(method);
        }

        sample.Start();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Requests; i++)
        {
            await layer.RunAsync(method);
        }

        var after = GC.GetTotalAllocatedBytes(precise: true);
        sample.Stop();
        return (after - before) / (double)Requests;
    }

    private sealed class AllocationListener : EventListener
    {
        private volatile bool _on;

        public ConcurrentDictionary<string, long> Samples { get; } = new();

        public void Start() => _on = true;

        public void Stop() => _on = false;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_on && eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true
                && eventData.PayloadNames?.IndexOf("TypeName") is >= 0 and var index)
            {
                Samples.AddOrUpdate(eventData.Payload![index] as string ?? "?", 1, static (_, n) => n + 1);
            }
        }
    }
}
