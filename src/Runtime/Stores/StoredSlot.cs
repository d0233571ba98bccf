namespace TypedSessions.Stores;

/// <summary>One slot as a store holds it: the serialized state and its version.</summary>
/// <param name="Data">The bytes; stores must not change them after handing them out.</param>
/// <param name="Version">Changes on every write of the slot and is never reused within a session; always positive.</param>
public readonly record struct StoredSlot(ReadOnlyMemory<byte> Data, long Version)
{
    /// <summary>As an expected version: the slot must not exist yet.</summary>
    public const long Absent = 0;

    /// <summary>As an expected version: write whatever the slot holds (last writer wins).</summary>
    public const long AnyVersion = -1;
}
