namespace TypedSessions.Serialization;

/// <summary>Collection helpers for generated deserializers.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] // for generated code only
public static class SessionCollections
{
    /// <summary>
    /// A new array of <paramref name="count"/> elements (the shared empty array for zero). Generic, so
    /// that generated code needs no special syntax for arrays of arrays.
    /// </summary>
    public static T[] NewArray<T>(int count) => count == 0 ? [] : new T[count];
}
