namespace TypedSessions.Core;

/// <summary>What this scope knows of one slot: the bytes and version last read or written, and the value.</summary>
internal sealed class SlotState(string key)
{
    public string Key { get; } = key;

    /// <summary>Whether the store has been asked (or there was no session to ask).</summary>
    public bool Loaded { get; set; }

    /// <summary>The stored bytes; <see langword="null"/> for an empty slot.</summary>
    public ReadOnlyMemory<byte>? Data { get; set; }

    /// <summary>The stored version; <see cref="Stores.StoredSlot.Absent"/> for an empty slot.</summary>
    public long Version
    {
        get => Volatile.Read(ref _version);
        set => Volatile.Write(ref _version, value);
    }

    private long _version;

    /// <summary>The deserialized value of <see cref="Data"/>, cached so repeated reads do not deserialize again.</summary>
    public object? Value { get; set; }

    /// <summary>
    /// Set (from any thread) when a change notice says the stored slot moved past <see cref="Version"/>:
    /// the next read goes to the store again.
    /// </summary>
    public bool Stale
    {
        get => Volatile.Read(ref _stale);
        set => Volatile.Write(ref _stale, value);
    }

    private bool _stale;

    public void Clear()
    {
        Loaded = false;
        Data = null;
        Version = Stores.StoredSlot.Absent;
        Value = null;
        Stale = false;
    }
}
