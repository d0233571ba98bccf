using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace TypedSessions.Serialization;

/// <summary>
/// The session states a Blazor WebAssembly client may reach, found by key without reflection (safe under
/// trimming and native AOT). Only states marked <see cref="SessionStateAttribute.ClientAccess"/>
/// <see cref="SessionClientAccess.ReadOnly"/> or <see cref="SessionClientAccess.ReadWrite"/> are here:
/// the generated module initializer of each one registers it when its assembly loads.
/// </summary>
/// <remarks>
/// A key names at most one state. When two different types register the same key (or keys that differ
/// only in case, which the cookie store cannot tell apart: the rule of analyzer TS0004), the first stays
/// registered but the key becomes ambiguous: <see cref="TryGet"/> fails for it and <see cref="All"/> leaves
/// it out, so a client never reaches a state that happened to load first. Within one project TS0004
/// reports the clash at compile time; across assemblies this is the only guard.
/// </remarks>
public static class SessionStateCatalog
{
    private static readonly object Gate = new();

    // Replaced whole under the lock and read without it: registrations are few (one per state, at
    // assembly load), look-ups are per request.
    private static Table _table = Table.Empty;

    /// <summary>
    /// Registers <typeparamref name="T"/> under its key. Idempotent and thread-safe. A state whose
    /// <see cref="ISessionState{TSelf}.ClientAccess"/> is <see cref="SessionClientAccess.None"/> is not
    /// registered: the catalog holds only what a client may reach.
    /// </summary>
    /// <typeparam name="T">The state type.</typeparam>
    [EditorBrowsable(EditorBrowsableState.Never)] // called by generated module initializers
    public static void Register<T>() where T : ISessionState<T>
    {
        if (T.ClientAccess == SessionClientAccess.None)
        {
            return;
        }

        lock (Gate)
        {
            var table = Volatile.Read(ref _table);
            var key = T.SessionKey;
            if (table.ByKey.TryGetValue(key, out var first))
            {
                if (first.StateType != typeof(T) && !table.Ambiguous.Contains(key))
                {
                    Volatile.Write(ref _table, table.WithAmbiguous(key));
                }

                return;
            }

            Volatile.Write(ref _table, table.With(new SessionStateDescriptor<T>()));
        }
    }

    /// <summary>Finds the client-accessible state registered under <paramref name="key"/> (compared ordinally).</summary>
    /// <param name="key">The state's key, as <see cref="ISessionState{TSelf}.SessionKey"/>.</param>
    /// <param name="descriptor">The state, when found.</param>
    /// <returns>
    /// <see langword="false"/> when no such state is registered, or when the key is ambiguous (see the remarks
    /// on <see cref="SessionStateCatalog"/>).
    /// </returns>
    public static bool TryGet(string key, [NotNullWhen(true)] out SessionStateDescriptor? descriptor)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = Volatile.Read(ref _table);
        if (table.ByKey.TryGetValue(key, out var found) && string.Equals(found.Key, key, StringComparison.Ordinal) && !table.Ambiguous.Contains(key))
        {
            descriptor = found;
            return true;
        }

        descriptor = null;
        return false;
    }

    /// <summary>Every registered state whose key is not ambiguous, in the order they were registered.</summary>
    public static IReadOnlyList<SessionStateDescriptor> All => Volatile.Read(ref _table).Unambiguous;

    private sealed class Table
    {
        public static readonly Table Empty = new(
            new Dictionary<string, SessionStateDescriptor>(StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            []);

        private Table(Dictionary<string, SessionStateDescriptor> byKey, HashSet<string> ambiguous, SessionStateDescriptor[] registered)
        {
            ByKey = byKey;
            Ambiguous = ambiguous;
            Registered = registered;
            Unambiguous = Array.AsReadOnly(registered.Where(d => !ambiguous.Contains(d.Key)).ToArray());
        }

        // Keyed ignoring case, so that keys differing only in case are found to clash.
        public Dictionary<string, SessionStateDescriptor> ByKey { get; }

        public HashSet<string> Ambiguous { get; }

        public SessionStateDescriptor[] Registered { get; }

        public IReadOnlyList<SessionStateDescriptor> Unambiguous { get; }

        public Table With(SessionStateDescriptor descriptor) =>
            new(new(ByKey, ByKey.Comparer) { [descriptor.Key] = descriptor }, Ambiguous, [.. Registered, descriptor]);

        public Table WithAmbiguous(string key) =>
            new(ByKey, new HashSet<string>(Ambiguous, Ambiguous.Comparer) { key }, Registered);
    }
}
