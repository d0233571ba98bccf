using System.Collections.Immutable;
using System.ComponentModel;

namespace TypedSessions.Serialization;

/// <summary>
/// The states a client may reach, by key: filled by generated module initializers for the states whose
/// <c>[SessionState]</c> sets <c>ClientAccess</c>, read by the server's client API. No reflection: safe
/// under trimming and native AOT.
/// </summary>
/// <remarks>
/// A key registered by two different types is ambiguous and found by neither: the client API then
/// answers as for an unknown key rather than guess which type the bytes are.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SessionStateCatalog
{
    private static readonly Lock Gate = new();
    private static ImmutableDictionary<string, SessionStateDescriptor> s_byKey = ImmutableDictionary.Create<string, SessionStateDescriptor>(StringComparer.Ordinal);
    private static ImmutableHashSet<string> s_ambiguous = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Adds <typeparamref name="T"/>; called by generated code. Registering the same type again does nothing.</summary>
    public static void Register<T>() where T : ISessionState<T>
    {
        lock (Gate)
        {
            if (s_byKey.TryGetValue(T.SessionKey, out var existing))
            {
                if (existing.StateType != typeof(T))
                {
                    s_ambiguous = s_ambiguous.Add(T.SessionKey);
                }

                return;
            }

            s_byKey = s_byKey.Add(T.SessionKey, new SessionStateDescriptor<T>());
        }
    }

    /// <summary>The state registered under <paramref name="key"/>, unless none or more than one type claims it.</summary>
    public static bool TryGet(string key, out SessionStateDescriptor descriptor)
    {
        if (s_byKey.TryGetValue(key, out descriptor!) && !s_ambiguous.Contains(key))
        {
            return true;
        }

        descriptor = null!;
        return false;
    }

    /// <summary>Every registered state whose key is not ambiguous.</summary>
    public static IReadOnlyList<SessionStateDescriptor> All =>
        [.. s_byKey.Values.Where(static d => !s_ambiguous.Contains(d.Key)).OrderBy(static d => d.Key, StringComparer.Ordinal)];
}

/// <summary>One state of the <see cref="SessionStateCatalog"/>: its key, type and client access.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class SessionStateDescriptor
{
    private protected SessionStateDescriptor(string key, Type stateType, SessionClientAccess clientAccess)
    {
        Key = key;
        StateType = stateType;
        ClientAccess = clientAccess;
    }

    /// <summary>The state's storage key.</summary>
    public string Key { get; }

    /// <summary>The state's type.</summary>
    public Type StateType { get; }

    /// <summary>What a client may do with it.</summary>
    public SessionClientAccess ClientAccess { get; }

    /// <summary>Calls <paramref name="visitor"/> with the state's type as a type argument (generic code without reflection).</summary>
    public abstract TResult Accept<TResult>(ISessionStateVisitor<TResult> visitor);
}

/// <summary>Generic code run for a <see cref="SessionStateDescriptor"/>'s type.</summary>
/// <typeparam name="TResult">What the visit returns.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISessionStateVisitor<out TResult>
{
    /// <summary>Runs for state type <typeparamref name="T"/>.</summary>
    TResult Visit<T>() where T : ISessionState<T>;
}

internal sealed class SessionStateDescriptor<T>() : SessionStateDescriptor(T.SessionKey, typeof(T), T.ClientAccess)
    where T : ISessionState<T>
{
    public override TResult Accept<TResult>(ISessionStateVisitor<TResult> visitor) => visitor.Visit<T>();
}
