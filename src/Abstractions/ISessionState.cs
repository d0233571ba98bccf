using TypedSessions.Serialization;

namespace TypedSessions;

/// <summary>
/// The static contract between a <c>[SessionState]</c> type and the runtime. The source generator
/// implements it; do not implement it by hand.
/// </summary>
/// <remarks>
/// Static abstract members let <see cref="TypedSessions.ISession{T}"/> reach a state's key, default instance and
/// serializer through the type parameter alone: no reflection, safe under trimming and native AOT.
/// </remarks>
/// <typeparam name="TSelf">The state type itself.</typeparam>
public interface ISessionState<TSelf> where TSelf : ISessionState<TSelf>
{
    /// <summary>The slot's key in the session store.</summary>
    static abstract string SessionKey { get; }

    /// <summary>A hash of <see cref="SessionKey"/>, written in the header so bytes of another state are recognised.</summary>
    static abstract uint SessionKeyHash { get; }

    /// <summary>A hash of the state's members and their types: it changes when the schema changes.</summary>
    static abstract ulong SchemaFingerprint { get; }

    /// <summary>What a WebAssembly client may do with the state, as <see cref="SessionStateAttribute.ClientAccess"/> says.</summary>
    static abstract SessionClientAccess ClientAccess { get; }

    /// <summary>
    /// Whether no value of the state can change once built, at any depth: every field of every type it
    /// reaches is readonly and of such a type (positional records, <c>init</c> properties, strings, numbers,
    /// enums, immutable collections). The generator says so only when it can prove it; the runtime then
    /// hands one deserialized instance of a stored version to every request that reads it.
    /// </summary>
    static virtual bool IsDeeplyImmutable => false;

    /// <summary>The value of an empty slot.</summary>
    static abstract TSelf CreateDefault();

    /// <summary>Writes the state's members.</summary>
    static abstract void Serialize(ref SessionWriter writer, TSelf value);

    /// <summary>Reads the state's members; members missing from the bytes take their default values.</summary>
    static abstract TSelf Deserialize(ref SessionReader reader);
}
