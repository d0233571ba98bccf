using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// The slots this process last read or wrote through a store that is a network round trip away, so that
/// a read-modify-write of a slot this process has seen recently can go straight to its compare-and-set:
/// one round trip instead of a load and then a save.
/// </summary>
/// <remarks>
/// <para>
/// A remembered copy is only ever a guess. It is used for an update's first attempt, whose conditional
/// save succeeds only when the stored version is still the remembered one, which proves the copy was
/// current (a version is never reused within a session). When another server wrote meanwhile, or the
/// session ended, the save is refused and the update starts over from a real load. Reads never use it.
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

    public void Remember(SessionStoreId session, string key, StoredSlot slot) =>
        Volatile.Write(ref _entries[IndexOf(session, key)], new Entry(session, key, slot));

    public bool TryRecall(SessionStoreId session, string key, out StoredSlot slot)
    {
        if (Volatile.Read(ref _entries[IndexOf(session, key)]) is { } entry && entry.Session == session && entry.Key == key)
        {
            slot = entry.Slot;
            return true;
        }

        slot = default;
        return false;
    }

    public void Forget(SessionStoreId session, string key)
    {
        ref var place = ref _entries[IndexOf(session, key)];
        if (Volatile.Read(ref place) is { } entry && entry.Session == session && entry.Key == key)
        {
            Interlocked.CompareExchange(ref place, null, entry);
        }
    }

    private static int IndexOf(SessionStoreId session, string key) => HashCode.Combine(session, key) & (Size - 1);

    private sealed record Entry(SessionStoreId Session, string Key, StoredSlot Slot);
}
