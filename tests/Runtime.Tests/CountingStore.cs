using TypedSessions.Stores;

namespace TypedSessions.Runtime.Tests;

/// <summary>A real store that counts the calls made to it, to check round trips and skipped writes.</summary>
internal sealed class CountingStore(ISessionStore inner) : ISessionStore
{
    public int Loads;
    public int Saves;
    public int Touches;

    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Loads);
        return inner.LoadAsync(session, keys, cancellationToken);
    }

    /// <summary>Counts the saves that reached the store and were not refused for a missing session (which write nothing).</summary>
    public async ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        var result = await inner.SaveAsync(session, key, data, expectedVersion, createSession, cancellationToken);
        if (!result.IsSessionMissing)
        {
            Interlocked.Increment(ref Saves);
        }

        return result;
    }

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken) => inner.RemoveAsync(session, key, cancellationToken);

    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) => inner.DestroyAsync(session, cancellationToken);

    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken) => inner.RenewAsync(from, to, cancellationToken);

    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Touches);
        return inner.TouchAsync(session, cancellationToken);
    }

    public void Reset() => Loads = Saves = Touches = 0;
}

/// <summary>A store whose server is down: every call fails as a network client would.</summary>
internal sealed class UnreachableStore : ISessionStore
{
    private static IOException Down() => new IOException("Connection refused (127.0.0.1:1)");

    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken) => throw Down();

    public ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken) => throw Down();

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken) => throw Down();

    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) => throw Down();

    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken) => throw Down();

    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken) => throw Down();
}

/// <summary>
/// A real store with another server writing every slot just before each conditional save of this one,
/// so that every compare-and-set conflicts.
/// </summary>
internal sealed class ContendedStore(ISessionStore inner) : ISessionStore
{
    public ValueTask<SessionLoadResult> LoadAsync(SessionStoreId session, IReadOnlyList<string> keys, CancellationToken cancellationToken) => inner.LoadAsync(session, keys, cancellationToken);

    public async ValueTask<SlotSaveResult> SaveAsync(SessionStoreId session, string key, ReadOnlyMemory<byte> data, long expectedVersion, bool createSession, CancellationToken cancellationToken)
    {
        if (expectedVersion != StoredSlot.AnyVersion)
        {
            await inner.SaveAsync(session, key, data, StoredSlot.AnyVersion, createSession: true, cancellationToken);
        }

        return await inner.SaveAsync(session, key, data, expectedVersion, createSession, cancellationToken);
    }

    public ValueTask RemoveAsync(SessionStoreId session, string key, CancellationToken cancellationToken) => inner.RemoveAsync(session, key, cancellationToken);

    public ValueTask DestroyAsync(SessionStoreId session, CancellationToken cancellationToken) => inner.DestroyAsync(session, cancellationToken);

    public ValueTask<bool> RenewAsync(SessionStoreId from, SessionStoreId to, CancellationToken cancellationToken) => inner.RenewAsync(from, to, cancellationToken);

    public ValueTask TouchAsync(SessionStoreId session, CancellationToken cancellationToken) => inner.TouchAsync(session, cancellationToken);
}
