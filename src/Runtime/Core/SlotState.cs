using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>What this scope knows of one slot: the bytes and version last read or written, and the value.</summary>
/// <remarks>
/// Its state changes only through the named transitions below (loaded, written, removed, stale), so the
/// places that move a slot are the ones that call them: <see cref="ActiveSession"/> for store traffic,
/// <see cref="SlotCache"/> for change notices, <see cref="SlotValues"/> for the cached value.
/// </remarks>
internal sealed class SlotState(string key)
{
    private long _version;
    private bool _stale;

    public string Key { get; } = key;

    /// <summary>Whether the store has been asked (or there was no session to ask).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The stored bytes; <see langword="null"/> for an empty slot.</summary>
    public ReadOnlyMemory<byte>? Data { get; private set; }

    /// <summary>The stored version; <see cref="StoredSlot.Absent"/> for an empty slot.</summary>
    public long Version
    {
        get => Volatile.Read(ref _version);
        private set => Volatile.Write(ref _version, value);
    }

    /// <summary>The deserialized value of <see cref="Data"/>, cached so repeated reads do not deserialize again.</summary>
    public object? Value { get; private set; }

    /// <summary>
    /// Set (from any thread) when a change notice says the stored slot moved past <see cref="Version"/>:
    /// the next read goes to the store again.
    /// </summary>
    public bool Stale => Volatile.Read(ref _stale);

    /// <summary>
    /// Whether <see cref="Data"/> is this process's remembered copy (<see cref="RecentSlots"/>) rather than
    /// what the store answered this scope: good for a compare-and-set, not for a read.
    /// </summary>
    public bool Assumed { get; private set; }

    /// <summary>Whether the next read has to ask the store.</summary>
    public bool NeedsLoad => !Loaded || Stale;

    /// <summary>The store was asked and had nothing, or there was no session to ask.</summary>
    public void LoadedEmpty() => Loaded = true;

    /// <summary>The store answered with <paramref name="stored"/>.</summary>
    public void LoadedFrom(StoredSlot stored)
    {
        Loaded = true;
        Assumed = false;
        Data = stored.Data;
        Version = stored.Version;
    }

    /// <summary>An update starts from this process's remembered copy, to be confirmed by its compare-and-set.</summary>
    public void AssumedFrom(StoredSlot remembered)
    {
        LoadedFrom(remembered);
        Assumed = true;
    }

    /// <summary>This scope wrote <paramref name="data"/> (the bytes of <paramref name="value"/>) as <paramref name="version"/>.</summary>
    public void Written(byte[] data, long version, object? value)
    {
        Loaded = true;
        Assumed = false;
        Data = data;
        Version = version;
        Value = value;
    }

    /// <summary>This scope removed the slot.</summary>
    public void Removed()
    {
        Loaded = true;
        Assumed = false;
        Data = null;
        Version = StoredSlot.Absent;
        Value = null;
    }

    /// <summary>Keeps the value read from (or equal to) <see cref="Data"/> for the next read.</summary>
    public void CacheValue(object? value) => Value = value;

    /// <summary>A notice said the slot changed elsewhere; <paramref name="version"/> of <see langword="null"/> means "whatever it is".</summary>
    public void MarkStaleUnless(long? version)
    {
        // This scope's own writes come back as notices with the version it already holds.
        if (version is not { } v || Version != v)
        {
            Volatile.Write(ref _stale, true);
        }
    }

    /// <summary>Forgets everything: the next read asks the store.</summary>
    public void Clear()
    {
        Loaded = false;
        Assumed = false;
        Data = null;
        Version = StoredSlot.Absent;
        Value = null;
        Volatile.Write(ref _stale, false);
    }
}
