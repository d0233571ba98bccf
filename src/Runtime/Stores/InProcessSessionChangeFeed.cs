namespace TypedSessions.Stores;

/// <summary>The default <see cref="ISessionChangeFeed"/>: reaches the scopes of this process only.</summary>
internal sealed class InProcessSessionChangeFeed : ISessionChangeFeed
{
    // Listener lists are replaced, never mutated, so Publish can call them outside the lock.
    private readonly Dictionary<SessionStoreId, Action<SessionChange>[]> _listeners = [];
    private readonly Lock _gate = new();

    /// <summary>How many listeners are subscribed, over all sessions (for tests and metrics).</summary>
    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                var count = 0;
                foreach (var listeners in _listeners.Values)
                {
                    count += listeners.Length;
                }

                return count;
            }
        }
    }

    /// <inheritdoc />
    public void Publish(SessionChange change)
    {
        Action<SessionChange>[]? listeners;
        lock (_gate)
        {
            _listeners.TryGetValue(change.Session, out listeners);
        }

        if (listeners is null)
        {
            return;
        }

        foreach (var listener in listeners)
        {
            listener(change);
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(SessionStoreId session, Action<SessionChange> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);

        // A delegate of its own, so that disposing one of two identical subscriptions removes just one.
        var entry = new Action<SessionChange>(listener.Invoke);
        lock (_gate)
        {
            _listeners[session] = _listeners.TryGetValue(session, out var existing) ? [.. existing, entry] : [entry];
        }

        return new Subscription(this, session, entry);
    }

    private void Unsubscribe(SessionStoreId session, Action<SessionChange> listener)
    {
        lock (_gate)
        {
            if (!_listeners.TryGetValue(session, out var existing))
            {
                return;
            }

            var remaining = Array.FindAll(existing, l => !ReferenceEquals(l, listener));
            if (remaining.Length == 0)
            {
                _listeners.Remove(session);
            }
            else
            {
                _listeners[session] = remaining;
            }
        }
    }

    private sealed class Subscription(InProcessSessionChangeFeed feed, SessionStoreId session, Action<SessionChange> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(session, listener);
            }
        }
    }
}
