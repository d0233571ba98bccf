namespace TypedSessions.Stores;

/// <summary>The outcome of a conditional save.</summary>
/// <param name="Saved"><see langword="false"/> when the slot's version was not the expected one.</param>
/// <param name="Version">The slot's new version when saved.</param>
public readonly record struct SlotSaveResult(bool Saved, long Version)
{
    /// <summary>A refused save: someone else wrote the slot first.</summary>
    public static SlotSaveResult Conflict => new(false, 0);
}
