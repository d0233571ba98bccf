namespace TypedSessions.Serialization;

/// <summary>
/// A client-accessible session state found in <see cref="SessionStateCatalog"/>: its key and access, and
/// a way back to the type itself as a type parameter (<see cref="Accept{TResult}"/>), so that code
/// holding only a key can call generic, reflection-free APIs such as <see cref="ISession{T}"/>.
/// </summary>
public abstract class SessionStateDescriptor
{
    private protected SessionStateDescriptor(string key, Type stateType, SessionClientAccess clientAccess)
    {
        Key = key;
        StateType = stateType;
        ClientAccess = clientAccess;
    }

    /// <summary>The state's key, as <see cref="ISessionState{TSelf}.SessionKey"/>.</summary>
    public string Key { get; }

    /// <summary>The state type.</summary>
    public Type StateType { get; }

    /// <summary>What a WebAssembly client may do with the state.</summary>
    public SessionClientAccess ClientAccess { get; }

    /// <summary>Calls <see cref="ISessionStateVisitor{TResult}.Visit{T}"/> with the state type as <c>T</c>.</summary>
    /// <typeparam name="TResult">What the visitor returns.</typeparam>
    /// <param name="visitor">The code to run for the state type.</param>
    /// <returns>What the visitor returned.</returns>
    public abstract TResult Accept<TResult>(ISessionStateVisitor<TResult> visitor);
}

/// <summary>The descriptor of <typeparamref name="T"/>: the only kind there is, created by the catalog.</summary>
internal sealed class SessionStateDescriptor<T>() : SessionStateDescriptor(T.SessionKey, typeof(T), T.ClientAccess)
    where T : ISessionState<T>
{
    public override TResult Accept<TResult>(ISessionStateVisitor<TResult> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return visitor.Visit<T>();
    }
}
