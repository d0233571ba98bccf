using Microsoft.Extensions.Logging;
using TypedSessions.Diagnostics;
using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// The watchers of one scope (components showing a state) and its subscription to the change feed.
/// </summary>
/// <remarks>
/// While the scope has watchers it follows its session's current ID on the feed. A notice marks the slot
/// stale (so the next read goes to the store) and calls the watchers of that slot, which re-read and
/// re-render on their own thread. Notices arrive on the publisher's thread: only flags and a hand-off
/// happen there.
/// </remarks>
internal sealed class SessionWatchers(ISessionChangeFeed feed, SlotCache slots, SessionIdentity identity, ILogger logger) : IDisposable
{
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly List<Watcher> _watchers = [];
    private Action<SessionChange>? _onChange;
    private IDisposable? _feedSubscription;
    private SessionStoreId? _followed;
    private bool _disposed;
    private Task _notified = Task.CompletedTask;

    /// <summary>How many watchers the scope has (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onChanged"/> whenever slot <paramref name="key"/> changes, or, with a
    /// <see langword="null"/> key, when the session as a whole changes (signed in, renewed, ended).
    /// </summary>
    public IDisposable Add(string? key, Func<Task> onChanged, object owner)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var watcher = new Watcher(this, key, onChanged);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            _watchers.Add(watcher);
        }

        FollowCurrentId();
        return watcher;
    }

    /// <summary>Subscribes to the feed for the scope's current ID while there are watchers; called whenever either changes.</summary>
    public void FollowCurrentId()
    {
        lock (_gate)
        {
            SessionStoreId? wanted = !_disposed && _watchers.Count > 0 && identity.HasId ? identity.StoreId : null;
            if (wanted == _followed)
            {
                return;
            }

            _feedSubscription?.Dispose();
            _feedSubscription = wanted is { } id ? feed.Subscribe(id, _onChange ??= OnFeedChange) : null;
            _followed = wanted;
        }
    }

    /// <summary>Calls the watchers of <paramref name="key"/> (all of them, for <see langword="null"/>) without waiting for them.</summary>
    public void Notify(string? key)
    {
        Watcher[] targets;
        lock (_gate)
        {
            if (_watchers.Count == 0)
            {
                return;
            }

            targets = key is null ? [.. _watchers] : _watchers.FindAll(w => w.Key == key).ToArray();
        }

        var calls = new Task[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            calls[i] = targets[i].NotifyAsync();
        }

        lock (_gate)
        {
            // Chained only while earlier notices are still running, so a long-lived circuit keeps no history.
            _notified = _notified.IsCompleted ? Task.WhenAll(calls) : Task.WhenAll(_notified, Task.WhenAll(calls));
        }
    }

    /// <summary>Completes when every watcher called so far has handled its notice (tests wait for it).</summary>
    public Task WhenNotifiedAsync()
    {
        lock (_gate)
        {
            return _notified;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _watchers.Clear();
        }

        FollowCurrentId();
    }

    private void OnFeedChange(SessionChange change)
    {
        if (change.Key is null)
        {
            identity.EndedElsewhere();
        }

        slots.MarkStale(change.Key, change.Version);
        Notify(change.Key);
    }

    private void Remove(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }

        FollowCurrentId();
    }

    private sealed class Watcher(SessionWatchers owner, string? key, Func<Task> onChanged) : IDisposable
    {
        public string? Key => key;

        public async Task NotifyAsync()
        {
            try
            {
                await onChanged().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.WatcherFailed(owner._logger, key ?? "(session)", e);
            }
        }

        public void Dispose() => owner.Remove(this);
    }
}
