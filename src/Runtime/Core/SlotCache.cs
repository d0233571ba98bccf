namespace TypedSessions.Core;

/// <summary>The slots one scope has used, by key.</summary>
/// <remarks>
/// A handful at most, so an array searched in order. Replaced, never changed in place, because change
/// notices read it from the publisher's thread without a lock.
/// </remarks>
internal sealed class SlotCache
{
    private SlotState[] _slots = [];

    /// <summary>The slot named <paramref name="key"/>, created empty (not loaded) on first use.</summary>
    public SlotState For(string key)
    {
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
    public IEnumerable<SlotState> Loaded => Volatile.Read(ref _slots).Where(static s => s.Loaded && !s.Stale);

    /// <summary>A change notice: slot <paramref name="key"/> (every slot, for <see langword="null"/>) moved to <paramref name="version"/>.</summary>
    public void MarkStale(string? key, long version)
    {
        var slots = Volatile.Read(ref _slots);
        if (key is null)
        {
            foreach (var slot in slots)
            {
                slot.MarkStaleUnless(null);
            }
        }
        else
        {
            Find(slots, key)?.MarkStaleUnless(version);
        }
    }

    /// <summary>The session changed identity: nothing known of its slots holds any more.</summary>
    public void ClearAll()
    {
        foreach (var slot in Volatile.Read(ref _slots))
        {
            slot.Clear();
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
