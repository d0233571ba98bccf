using System.Diagnostics.Metrics;

namespace TypedSessions.Hosting;

/// <summary>The "TypedSessions" meter: counts of what went wrong or had to be retried.</summary>
internal sealed class SessionMetrics
{
    public const string MeterName = "TypedSessions";

    private readonly Counter<long> _unreadable;
    private readonly Counter<long> _conflicts;

    public SessionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _unreadable = meter.CreateCounter<long>("typedsessions.slot.unreadable", "{slot}",
            "Slots that could not be read (corrupt, truncated, foreign or incompatible bytes) and were reset to their default.");
        _conflicts = meter.CreateCounter<long>("typedsessions.update.conflicts", "{conflict}",
            "UpdateAsync writes refused because the slot changed concurrently, then retried.");
    }

    public void SlotUnreadable(string key) => _unreadable.Add(1, new KeyValuePair<string, object?>("state", key));

    public void UpdateConflict(string key) => _conflicts.Add(1, new KeyValuePair<string, object?>("state", key));
}
