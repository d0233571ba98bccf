
namespace TypedSessions.Stores;

/// <summary>How the runtime reaches the user index of the configured stores.</summary>
internal static class SessionUsers
{
    /// <summary>The store's user index, or a clear error when no configured store keeps one.</summary>
    public static ISessionUserStore Of(ISessionStore store) => store as ISessionUserStore ?? throw NotSupported();

    public static NotSupportedException NotSupported() => new(
        "Tying sessions to users (SignInAsync, ISessionDirectory) needs a server store that keeps a user index: the memory, " +
        "SQLite or Redis store. The cookie store keeps nothing on the server, so it cannot list or end a user's sessions; " +
        "keep the session itself in a server store (UseMemoryStore, UseSqliteStore, UseRedisStore) and only some states in the cookie.");
}
