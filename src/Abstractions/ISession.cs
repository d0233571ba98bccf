namespace TypedSessions;

/// <summary>
/// One typed slot of the current user's session. Inject it into a Razor Page, controller,
/// minimal API handler or Blazor component.
/// </summary>
/// <remarks>
/// Writes go to the store when they are made (not at the end of the request), so an error is
/// raised where it happens and a write is never dropped silently. A value that serializes to the
/// same bytes as the stored one is not written at all.
/// </remarks>
/// <typeparam name="T">A <c>[SessionState]</c> type.</typeparam>
public interface ISession<T> where T : ISessionState<T>
{
    /// <summary>The stored value, or the state's default instance when the slot is empty.</summary>
    ValueTask<T> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/>, replacing whatever the slot held (last writer wins).</summary>
    ValueTask SetAsync(T value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads, applies <paramref name="update"/> and writes back atomically: if another request changed
    /// the slot in between, the write is refused and <paramref name="update"/> runs again on the fresh
    /// value, so no concurrent update is lost. <paramref name="update"/> must be free of side effects.
    /// </summary>
    /// <returns>The value written.</returns>
    /// <exception cref="SessionConflictException">The slot kept changing for <c>TypedSessionsOptions.MaxUpdateAttempts</c> attempts.</exception>
    ValueTask<T> UpdateAsync(Func<T, T> update, CancellationToken cancellationToken = default);

    /// <summary>Removes the slot: the next read returns the default instance.</summary>
    ValueTask ResetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onChanged"/> whenever the slot changes: written through this scope, by
    /// another request or Blazor circuit of the same session (another tab, a form post), or reset by
    /// renew and invalidate. Call <see cref="GetAsync"/> in the callback for the new value. Dispose the
    /// result to stop; it stops by itself when the scope (request or circuit) ends.
    /// </summary>
    /// <remarks>
    /// The callback runs on the thread of whoever made the change: in a component, pass it through
    /// <c>InvokeAsync</c>. <c>&lt;SessionView&gt;</c> does all of this for you.
    /// </remarks>
    IDisposable Subscribe(Func<Task> onChanged);

    /// <summary>
    /// A flash: returns the stored value (or the default instance) and empties the slot, atomically, so
    /// that of concurrent requests only one gets a given value. Typical use: a message set before a
    /// redirect and shown once after it.
    /// </summary>
    ValueTask<T> TakeAsync(CancellationToken cancellationToken = default);
}
