namespace TypedSessions;

/// <summary>
/// How far the values of a session state are proved unable to change once built, as the generator finds
/// (<see cref="ISessionState{TSelf}.Immutability"/>). The runtime shares instances between requests
/// accordingly, instead of building one per request.
/// </summary>
public enum SessionStateImmutability
{
    /// <summary>Nothing is proved: every request reads its own copy.</summary>
    None = 0,

    /// <summary>
    /// An instance built of the declared types cannot change at any depth: every field of every type the
    /// state reaches is readonly and of such a type. Some of those types are not sealed, so a value a handler
    /// builds may be of a subclass that can change. The runtime shares the instances it deserializes.
    /// </summary>
    DeclaredTypes = 1,

    /// <summary>
    /// As <see cref="DeclaredTypes"/>, and every class the state reaches is sealed, so no value of the state
    /// can change. The runtime shares the values handlers write too.
    /// </summary>
    AllValues = 2,
}
