using Microsoft.Extensions.Logging;
using TypedSessions.Stores;
using TypedSessions.Diagnostics;

namespace TypedSessions.Core;

// Change notices: a scope with watchers (components showing a state) follows its session's ID on the
// change feed. A notice marks the slot stale, so the next read goes to the store, and calls the
// watchers of that slot, which re-read and re-render on their own thread.
internal sealed partial class ActiveSession
{
    private readonly Action<SessionChange> _onFeedChange;
    private readonly Lock _watchGate = new();
    private readonly List<Watcher> _watchers = [];
    private IDisposable? _feedSubscription;
    private SessionStoreId? _followed;
    private bool _disposed;

    // Set from the publisher's thread when the whole session ended elsewhere (destroyed or renewed away).
    private volatile bool _sessionEndedElsewhere;

    /// <summary>How many watchers this scope has (for tests).</summary>
    internal int WatcherCount
    {
        get
        {
            lock (_watchGate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onChanged"/> whenever slot <paramref name="key"/> changes: written by this
    /// scope, by another request or circuit of the session, or reset by renew and invalidate. With a
    /// <see langword="null"/> key, only when the session as a whole changes (signed in, renewed, ended).
    /// </summary>
    public IDisposable Watch(string? key, Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var watcher = new Watcher(this, key, onChanged);
        lock (_watchGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watchers.Add(watcher);
        }

        FollowCurrentId();
        return watcher;
    }

    public void Dispose()
    {
        lock (_watchGate)
        {
            _disposed = true;
            _watchers.Clear();
        }

        FollowCurrentId();
    }

    /// <summary>Subscribes to the feed for the current ID while there are watchers; called whenever either changes.</summary>
    private void FollowCurrentId()
    {
        lock (_watchGate)
        {
            SessionStoreId? wanted = !_disposed && _watchers.Count > 0 && _sessionId is not null ? _storeId : null;
            if (wanted == _followed)
            {
                return;
            }

            _feedSubscription?.Dispose();
            _feedSubscription = wanted is { } id ? _feed.Subscribe(id, _onFeedChange) : null;
            _followed = wanted;
        }
    }

    private void Publish(string key, long version)
    {
        if (_sessionId is not null)
        {
            _feed.Publish(new SessionChange(_storeId, key, version));
        }
    }

    // Runs on the publisher's thread: only flags and a hand-off to the watchers happen here.
    private void OnFeedChange(SessionChange change)
    {
        if (change.Key is null)
        {
            _sessionEndedElsewhere = true;
            foreach (var slot in Volatile.Read(ref _slots))
            {
                slot.Stale = true;
            }
        }
        else if (FindSlot(Volatile.Read(ref _slots), change.Key) is { } slot && slot.Version != change.Version)
        {
            slot.Stale = true; // this scope's own writes arrive with the version it already holds
        }

        NotifyWatchers(change.Key);
    }

    /// <summary>Applies a "session ended elsewhere" notice on this scope's own thread.</summary>
    private void TakeSessionNotice()
    {
        if (_sessionEndedElsewhere)
        {
            _sessionEndedElsewhere = false;
            _existsInStore = null; // ask the store again: the next load finds the session gone
        }
    }

    private void NotifyWatchers(string? key)
    {
        Watcher[] targets;
        lock (_watchGate)
        {
            targets = key is null ? [.. _watchers] : _watchers.FindAll(w => w.Key == key).ToArray();
        }

        foreach (var watcher in targets)
        {
            _ = watcher.NotifyAsync();
        }
    }

    private void Unwatch(Watcher watcher)
    {
        lock (_watchGate)
        {
            _watchers.Remove(watcher);
        }

        FollowCurrentId();
    }

    private sealed class Watcher(ActiveSession session, string? key, Func<Task> onChanged) : IDisposable
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
                Log.WatcherFailed(session._logger, key ?? "(session)", e);
            }
        }

        public void Dispose() => session.Unwatch(this);
    }
}
