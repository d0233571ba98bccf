namespace TypedSessions.Stores;

/// <summary>The outcome of a conditional save.</summary>
/// <param name="Saved"><see langword="false"/> when the slot's version was not the expected one, or the session is gone.</param>
/// <param name="Version">The slot's new version when saved.</param>
public readonly record struct SlotSaveResult(bool Saved, long Version)
{
    /// <summary>A refused save: someone else wrote the slot first.</summary>
    public static SlotSaveResult Conflict => new(false, 0);

    /// <summary>A refused save: the session does not exist, and the save was not allowed to create it.</summary>
    public static SlotSaveResult SessionMissing => new(false, 0) { IsSessionMissing = true };

    /// <summary>Whether the save was refused because the session does not exist (destroyed, renewed away or expired).</summary>
    public bool IsSessionMissing { get; init; }
}
