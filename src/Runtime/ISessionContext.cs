namespace TypedSessions;

/// <summary>The current session as a whole: its lifecycle rather than its slots.</summary>
public interface ISessionContext
{
    /// <summary>
    /// <see langword="true"/> for a pre-session: the request carried no valid session cookie, or the
    /// store holds nothing for it (expired, evicted or destroyed). Nothing is stored for a pre-session
    /// and no cookie is issued until its first write.
    /// </summary>
    /// <remarks>Whether the store holds the session is known once a slot has been read.</remarks>
    bool IsNew { get; }

    /// <summary>
    /// Moves the session to a new ID, keeping its data; the old ID loads nothing afterwards. Call it when
    /// a user signs in or gains privileges, so that an ID seen before sign-in is worthless after it.
    /// </summary>
    Task RenewAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Destroys every slot of the session in the store and starts a fresh, empty pre-session.
    /// Call it when a user signs out.
    /// </summary>
    Task InvalidateAsync(CancellationToken cancellationToken = default);
}
