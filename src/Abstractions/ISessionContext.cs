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

    /// <summary>
    /// The user this session was signed in as (<see cref="SignInAsync"/>), or <see langword="null"/>.
    /// Kept by <see cref="RenewAsync"/>; gone after <see cref="InvalidateAsync"/>, and as soon as the
    /// session is ended from elsewhere (<see cref="ISessionDirectory"/>, <see cref="InvalidateOtherSessionsAsync"/>
    /// on another device). Read from the store with the session's first load in the scope.
    /// </summary>
    string? UserKey { get; }

    /// <summary>
    /// This session's handle: how <see cref="ISessionDirectory"/> and <see cref="SessionInfo.Handle"/> name
    /// it, to mark "this device" in a list. Not a secret, and never usable as a cookie or a session ID.
    /// <see langword="null"/> for a pre-session. It changes with <see cref="RenewAsync"/> and <see cref="SignInAsync"/>.
    /// </summary>
    string? Handle { get; }

    /// <summary>
    /// Signs the session in as <paramref name="userKey"/>: renews the ID (as <see cref="RenewAsync"/>,
    /// starting the session if it has none yet) and ties the session to the user, so that it is listed
    /// and can be ended by <see cref="ISessionDirectory"/>. Needs a server store (memory, SQLite, Redis)
    /// for the session itself: the cookie store cannot index users.
    /// </summary>
    Task SignInAsync(string userKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends every other session of this session's user ("sign out other devices"): their open Blazor
    /// views learn it at once, and their cookies load nothing afterwards. Returns how many were ended;
    /// 0 when this session is not signed in.
    /// </summary>
    Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onChanged"/> when the session as a whole changes: signed in, renewed,
    /// invalidated here, or ended from elsewhere (another device, an admin). Dispose the result to stop.
    /// The callback runs on the thread of whoever made the change: in a component, pass it through
    /// <c>InvokeAsync</c>.
    /// </summary>
    IDisposable Subscribe(Func<Task> onChanged);
}
