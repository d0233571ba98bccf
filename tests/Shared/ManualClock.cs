namespace TypedSessions.Tests.Shared;

/// <summary>A clock the tests move by hand: stores take "now" from the application's TimeProvider.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
