namespace TypedSessions.Core;

/// <summary>The slots one scope has used, by key.</summary>
/// <remarks>
/// A handful at most, so an array searched in order. Replaced, never changed in place, because change
/// notices read it from the publisher's thread without a lock. Most requests use one state: the first
/// slot has a field of its own, and the array is made for a second.
/// </remarks>
internal sealed class SlotCache
{
    private SlotState? _first;
    private SlotState[] _slots = [];

    /// <summary>The slot named <paramref name="key"/>, created empty (not loaded) on first use.</summary>
    public SlotState For(string key)
    {
        if (Volatile.Read(ref _first) is { } first)
        {
            if (string.Equals(first.Key, key, StringComparison.Ordinal))
            {
                return first;
            }
        }
        else
        {
            var created = new SlotState(key);
            if (Interlocked.CompareExchange(ref _first, created, null) is null)
            {
                return created;
            }

            return For(key); // another thread made the first slot meanwhile
        }

        while (true)
        {
            var slots = Volatile.Read(ref _slots);
            if (Find(slots, key) is { } existing)
            {
                return existing;
            }

            var created = new SlotState(key);
            if (Interlocked.CompareExchange(ref _slots, [.. slots, created], slots) == slots)
            {
                return created;
            }
        }
    }

    /// <summary>The slots loaded so far.</summary>
    public IEnumerable<SlotState> Loaded => All().Where(static s => s.Loaded && !s.Stale);

    /// <summary>A change notice: slot <paramref name="key"/> (every slot, for <see langword="null"/>) moved to <paramref name="version"/>.</summary>
    public void MarkStale(string? key, long version)
    {
        foreach (var slot in All())
        {
            if (key is null)
            {
                slot.MarkStaleUnless(null);
            }
            else if (string.Equals(slot.Key, key, StringComparison.Ordinal))
            {
                slot.MarkStaleUnless(version);
            }
        }
    }

    /// <summary>The session changed identity: nothing known of its slots holds any more.</summary>
    public void ClearAll()
    {
        foreach (var slot in All())
        {
            slot.Clear();
        }
    }

    private IEnumerable<SlotState> All()
    {
        if (Volatile.Read(ref _first) is { } first)
        {
            yield return first;
        }

        foreach (var slot in Volatile.Read(ref _slots))
        {
            yield return slot;
        }
    }

    private static SlotState? Find(SlotState[] slots, string key)
    {
        foreach (var slot in slots)
        {
            if (string.Equals(slot.Key, key, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }
}
