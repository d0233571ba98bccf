namespace TypedSessions.Stores;

/// <summary>Bounds of the memory store: it never grows past them, evicting idle sessions first.</summary>
public sealed class MemorySessionStoreOptions
{
    /// <summary>The most sessions held at once. Default: 100,000.</summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>The most payload bytes held at once, over all sessions. Default: 256 MiB.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How often expired sessions are swept out. Default: one minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
