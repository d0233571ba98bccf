namespace TypedSessions.Stores;

/// <summary>What <see cref="ISessionStore.LoadAsync"/> found.</summary>
/// <param name="Exists">Whether the session exists and has not expired.</param>
/// <param name="LastAccessed">When the session was last written or touched (for throttled idle refresh).</param>
/// <param name="Slots">One entry per requested key, in the same order; <see langword="null"/> for an empty slot.</param>
public readonly record struct SessionLoadResult(bool Exists, DateTimeOffset LastAccessed, IReadOnlyList<StoredSlot?> Slots)
{
    /// <summary>The user the session is signed in as (<see cref="ISessionUserStore"/>), or <see langword="null"/>.</summary>
    public string? UserKey { get; init; }

    /// <summary>
    /// For a session that does not exist: it was renewed to a new ID within the last
    /// <see cref="SessionLifetime.RenewedAwayFor"/> (a sign-in). A request still carrying the old ID is
    /// racing that sign-in: the runtime refuses its writes instead of starting a competing session.
    /// </summary>
    public bool RenewedAway { get; init; }

    /// <summary>The result for a session that does not exist.</summary>
    public static SessionLoadResult Missing(int keyCount) =>
        new(false, default, keyCount == 1 ? s_oneMissing : new StoredSlot?[keyCount]);

    private static readonly StoredSlot?[] s_oneMissing = [null];
}
