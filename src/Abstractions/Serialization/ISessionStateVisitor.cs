namespace TypedSessions.Serialization;

/// <summary>
/// Code to run with a state type known only at run time, as a type parameter: pass it to
/// <see cref="SessionStateDescriptor.Accept{TResult}"/>.
/// </summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
public interface ISessionStateVisitor<TResult>
{
    /// <summary>Runs with <typeparamref name="T"/> as the state type.</summary>
    /// <typeparam name="T">The state type of the descriptor visited.</typeparam>
    /// <returns>The visit's result.</returns>
    TResult Visit<T>() where T : ISessionState<T>;
}
