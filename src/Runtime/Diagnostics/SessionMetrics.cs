using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TypedSessions.Stores;

namespace TypedSessions.Diagnostics;

/// <summary>
/// The <c>TypedSessions</c> meter and activity source, in ASP.NET Core's conventions: lifecycle counts
/// of sessions, counts of slot loads, saves, conflicts and unreadable slots, and the duration of every
/// store operation, tagged by store and operation. <see cref="Source"/> traces each store call.
/// </summary>
/// <remarks>
/// Names: <c>typedsessions.sessions.created</c>, <c>.renewed</c>, <c>.invalidated</c>, <c>.revoked</c>,
/// <c>.expired</c>, <c>.evicted</c>; <c>typedsessions.slot.loads</c>, <c>.saves</c>, <c>.conflicts</c>,
/// <c>.unreadable</c>; <c>typedsessions.store.operation.duration</c> (seconds; tags
/// <c>typedsessions.store</c>, <c>typedsessions.operation</c>, and <c>error.type</c> on failure). The memory
/// store adds <c>typedsessions.memory.sessions</c> and <c>typedsessions.memory.bytes</c> gauges.
/// </remarks>
internal sealed class SessionMetrics
{
    public const string MeterName = "TypedSessions";

    /// <summary>Spans around store calls (<c>TypedSessions</c>).</summary>
    public static readonly ActivitySource Source = new(MeterName);

    private readonly Counter<long> _created;
    private readonly Counter<long> _renewed;
    private readonly Counter<long> _invalidated;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _evicted;
    private readonly Counter<long> _loads;
    private readonly Counter<long> _saves;
    private readonly Counter<long> _unreadable;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<double> _storeDuration;

    public SessionMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _created = Meter.CreateCounter<long>("typedsessions.sessions.created", "{session}", "Sessions started (first write or sign-in).");
        _renewed = Meter.CreateCounter<long>("typedsessions.sessions.renewed", "{session}", "Sessions moved to a new ID (RenewAsync, SignInAsync).");
        _invalidated = Meter.CreateCounter<long>("typedsessions.sessions.invalidated", "{session}", "Sessions ended by their own user (InvalidateAsync).");
        _revoked = Meter.CreateCounter<long>("typedsessions.sessions.revoked", "{session}", "Sessions ended from elsewhere (ISessionDirectory, InvalidateOtherSessionsAsync).");
        _expired = Meter.CreateCounter<long>("typedsessions.sessions.expired", "{session}", "Sessions found expired by their store's sweep.");
        _evicted = Meter.CreateCounter<long>("typedsessions.sessions.evicted", "{session}", "Sessions dropped by the full memory store.");
        _loads = Meter.CreateCounter<long>("typedsessions.slot.loads", "{slot}", "Slots read from the store.");
        _saves = Meter.CreateCounter<long>("typedsessions.slot.saves", "{slot}", "Slots written to the store.");
        _unreadable = Meter.CreateCounter<long>("typedsessions.slot.unreadable", "{slot}",
            "Slots that could not be read (corrupt, truncated, foreign or incompatible bytes) and were reset to their default.");
        _conflicts = Meter.CreateCounter<long>("typedsessions.slot.conflicts", "{conflict}",
            "UpdateAsync writes refused because the slot changed concurrently (on another server), then retried.");
        _storeDuration = Meter.CreateHistogram(
            "typedsessions.store.operation.duration", "s", "How long each call to a session store took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    /// <summary>The meter, for stores that add gauges of their own.</summary>
    public Meter Meter { get; }

    public void SessionCreated() => _created.Add(1);

    public void SessionRenewed() => _renewed.Add(1);

    public void SessionEnded(SessionEndReason reason) => (reason switch
    {
        SessionEndReason.Invalidated => _invalidated,
        SessionEndReason.Revoked => _revoked,
        SessionEndReason.Expired => _expired,
        _ => _evicted,
    }).Add(1);

    public void SlotLoaded(string key) => _loads.Add(1, new KeyValuePair<string, object?>("typedsessions.state", key));

    public void SlotSaved(string key) => _saves.Add(1, new KeyValuePair<string, object?>("typedsessions.state", key));

    public void SlotUnreadable(string key) => _unreadable.Add(1, new KeyValuePair<string, object?>("typedsessions.state", key));

    public void UpdateConflict(string key) => _conflicts.Add(1, new KeyValuePair<string, object?>("typedsessions.state", key));

    /// <summary>Whether anyone listens to <c>typedsessions.store.operation.duration</c>: store calls are timed only then.</summary>
    public bool StoreOperationsMeasured => _storeDuration.Enabled;

    public void StoreOperation(string store, string operation, TimeSpan elapsed, string? errorType)
    {
        var tags = new TagList
        {
            { "typedsessions.store", store },
            { "typedsessions.operation", operation },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _storeDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>A short name of a store for tags: <c>memory</c>, <c>cookie</c>, <c>sqlite</c>, <c>redis</c>, <c>routed</c>.</summary>
    /// <remarks>Asked on every store call: worked out once per store type.</remarks>
    public static string StoreName(ISessionStore store) => StoreNames.GetOrAdd(store.GetType(), static type => NameOf(type));

    private static readonly ConcurrentDictionary<Type, string> StoreNames = new();

    private static string NameOf(Type type)
    {
        var name = type.Name;
        foreach (var suffix in (ReadOnlySpan<string>)["SessionStore", "Store"])
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        return name.ToLowerInvariant();
    }
}
