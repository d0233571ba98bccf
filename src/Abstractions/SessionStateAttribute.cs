namespace TypedSessions;

/// <summary>
/// Marks a <see langword="partial"/> record, class or struct as one slot of session state. The source
/// generator implements <see cref="ISessionState{TSelf}"/> for it: the storage key, a schema fingerprint,
/// the default instance and a reflection-free binary serializer.
/// </summary>
/// <remarks>
/// The key is the slot's name in storage. Give one explicitly (<c>[SessionState("cart")]</c>) so that
/// renaming or moving the type keeps the data users already have; without one the type's name is used.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class SessionStateAttribute : Attribute
{
    /// <summary>Uses the type's name as the storage key.</summary>
    public SessionStateAttribute() { }

    /// <summary>Uses <paramref name="key"/> as the storage key.</summary>
    public SessionStateAttribute(string key) => Key = key;

    /// <summary>The storage key, or <see langword="null"/> for the type's name.</summary>
    public string? Key { get; }

    /// <summary>
    /// What a Blazor WebAssembly client may do with the state: <see cref="SessionClientAccess.None"/> (the
    /// default) keeps it on the server. Only states opened here are registered in
    /// <see cref="Serialization.SessionStateCatalog"/>, so nothing else can be reached by its key.
    /// </summary>
    public SessionClientAccess ClientAccess { get; set; }
}
