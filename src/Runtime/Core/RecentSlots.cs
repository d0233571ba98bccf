using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// The slots this process last read or wrote, by session and key, for two uses. For a store that is a
/// network round trip away, a read-modify-write of a slot seen recently goes straight to its
/// compare-and-set: one round trip instead of a load and then a save. For a deeply immutable state
/// (<see cref="ISessionState{TSelf}.IsDeeplyImmutable"/>), every request that reads a stored version gets
/// the one instance deserialized from it, so a read builds nothing.
/// </summary>
/// <remarks>
/// <para>
/// A remembered copy is only ever a guess. It is used for an update's first attempt, whose conditional
/// save succeeds only when the stored version is still the remembered one, which proves the copy was
/// current (a version is never reused within a session). When another server wrote meanwhile, or the
/// session ended, the save is refused and the update starts over from a real load. Reads never use a
/// copy as the slot's content: a shared value is handed out only for bytes the store has just answered
/// with, equal to those it was deserialized from.
/// </para>
/// <para>
/// A fixed table: each (session, slot) has one place, and a newer entry for another slot that hashes
/// there replaces it. The memory stays bounded whatever the number of sessions, and nothing is locked:
/// entries are immutable and replaced whole.
/// </para>
/// </remarks>
internal sealed class RecentSlots
{
    private const int Size = 4096; // a power of two

    private readonly Entry?[] _entries = new Entry?[Size];

    /// <summary>
    /// Records <paramref name="slot"/> as what the store holds, with its deserialized <paramref name="value"/>
    /// when it may be shared. An entry of the same version already there is kept (with the value it may have).
    /// </summary>
    public void Remember(SessionStoreId session, string key, StoredSlot slot, object? value = null)
    {
        ref var place = ref _entries[IndexOf(session, key)];
        if (value is null && Volatile.Read(ref place) is { } entry && entry.Is(session, key) && entry.Holds(slot.Data.Span) && entry.Slot.Version == slot.Version)
        {
            return; // a read of what is already known: no allocation
        }

        Volatile.Write(ref place, new Entry(session, key, slot, value));
    }

    public bool TryRecall(SessionStoreId session, string key, out StoredSlot slot)
    {
        if (Volatile.Read(ref _entries[IndexOf(session, key)]) is { } entry && entry.Is(session, key))
        {
            slot = entry.Slot;
            return true;
        }

        slot = default;
        return false;
    }

    /// <summary>The instance deserialized from exactly <paramref name="data"/> of this slot, when one is remembered.</summary>
    public bool TryRecallValue<T>(SessionStoreId session, string key, ReadOnlySpan<byte> data, out T value)
    {
        if (Volatile.Read(ref _entries[IndexOf(session, key)]) is { Value: T shared } entry && entry.Is(session, key) && entry.Holds(data))
        {
            value = shared;
            return true;
        }

        value = default!;
        return false;
    }

    public void Forget(SessionStoreId session, string key)
    {
        ref var place = ref _entries[IndexOf(session, key)];
        if (Volatile.Read(ref place) is { } entry && entry.Is(session, key))
        {
            Interlocked.CompareExchange(ref place, null, entry);
        }
    }

    private static int IndexOf(SessionStoreId session, string key) => HashCode.Combine(session, key) & (Size - 1);

    private sealed record Entry(SessionStoreId Session, string Key, StoredSlot Slot, object? Value)
    {
        public bool Is(SessionStoreId session, string key) => Session == session && string.Equals(Key, key, StringComparison.Ordinal);

        public bool Holds(ReadOnlySpan<byte> data) => Slot.Data.Span.SequenceEqual(data);
    }
}
