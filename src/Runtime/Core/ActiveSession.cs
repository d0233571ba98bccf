using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;
using TypedSessions.Users;
using TypedSessions.Diagnostics;
using TypedSessions.Cookies;

namespace TypedSessions.Core;

/// <summary>
/// The session of one scope (an HTTP request or a Blazor circuit): the lifecycle of its ID and every
/// load and save of its slots. <see cref="ISession{T}"/> instances share it.
/// </summary>
/// <remarks>
/// <para>
/// It coordinates four parts, each in its own file: <see cref="SessionIdentity"/> (which session, and
/// what is known of it), <see cref="SlotCache"/> (the slots read so far), <see cref="ScopeStore"/> (the
/// store, failures typed and logged) and <see cref="SessionWatchers"/> (change notices). Cookie changes go
/// to the <see cref="CookieOutbox"/>; typed values are <see cref="SlotValues"/>' work.
/// </para>
/// <para>
/// A scope is attached to a session ID taken from the request's cookie, or to none (a pre-session).
/// A pre-session gets an ID only at its first write, so that traffic without a cookie costs the store
/// nothing; an ID the store no longer knows is never reused for new data (it is replaced at the
/// first write), so an expired or destroyed ID cannot be brought back to life. A session that ends while
/// the scope is using it (signed out or renewed by another request, expired) ends for the scope too:
/// its writes are refused with <see cref="SessionEndedException"/> rather than written under the old ID
/// or into a new session, so a request racing a sign-out never brings the session or its data back.
/// </para>
/// </remarks>
internal sealed class ActiveSession : ISessionContext, IDisposable
{
    private readonly SessionIdentity _identity;
    private readonly SlotCache _slots = new();
    private readonly SessionStoreChoice _stores;
    private readonly IServiceProvider _scope;
    private readonly RecentSlots _recentSlots;
    private ScopeStore? _store; // made at the first store call (see Store)
    private readonly ISessionChangeFeed _feed;
    private SessionWatchers? _watchers; // made at the first watch: most requests never watch
    private bool _disposed;
    private readonly CookieOutbox _outbox;
    private readonly SlotWriteLocks _writeLocks;
    private readonly SessionEndedHooks _hooks;
    private readonly SessionDirectory _directory;
    private readonly TypedSessionsOptions _options;
    private readonly TimeProvider _time;
    private readonly SessionMetrics _metrics;
    private readonly ILogger _logger;

    private bool _attached;
    private bool _hadCookie;
    private SessionHost _host = SessionHost.Unbound;
    private object? _hostState;

    public ActiveSession(
        SessionStoreChoice stores,
        IServiceProvider scope,
        SessionCookie sessionCookie,
        ISessionChangeFeed feed,
        SlotWriteLocks writeLocks,
        RecentSlots recentSlots,
        SessionEndedHooks hooks,
        SessionDirectory directory,
        SlotValues values,
        IOptions<TypedSessionsOptions> options,
        TimeProvider time,
        ILogger<ActiveSession> logger,
        SessionMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
        _identity = new SessionIdentity(logger);
        _stores = stores;
        _scope = scope;
        _recentSlots = recentSlots;

        // The scope's cookies belong to its session: made here rather than resolved as scoped services of
        // their own (DI registers them as views of this object), one dictionary entry per request instead of three.
        SlotCookies = new SlotCookieJar(sessionCookie, stores);
        _outbox = new CookieOutbox(SlotCookies, sessionCookie);
        _feed = feed;
        _writeLocks = writeLocks;
        _hooks = hooks;
        _directory = directory;
        _options = options.Value;
        _time = time;
        Values = values;
    }

    /// <summary>The cookie store's slot cookies as this scope sees them.</summary>
    public SlotCookieJar SlotCookies { get; }

    /// <summary>Every cookie change this scope owes its browser.</summary>
    public CookieOutbox Outbox => _outbox;

    // Resolved at the first store call, not in the constructor: the cookie store is a scoped service that
    // needs this scope's SlotCookies, which DI finds through this object; and straight from the choice, not
    // through a scoped ISessionStore, which would cost a scoped service more per request.
    private ScopeStore Store => _store ??= new ScopeStore(_stores.Resolve(_scope), _identity, _metrics, _logger, _recentSlots);

    /// <summary>Turns this session's slots into typed values and back.</summary>
    public SlotValues Values { get; }

    /// <summary>The typed value of <paramref name="slot"/> (see <see cref="SlotValues.Read{T}"/>).</summary>
    public T ValueOf<T>(SlotState slot) where T : ISessionState<T> => Values.Read<T>(slot, _identity);

    /// <summary>The session ID of the scope, which a pending Issue carries (for tests and logs of the binder).</summary>
    public ReadOnlySpan<byte> SessionId => _identity.SessionId;

    public bool IsAttached => _attached;

    /// <summary>The ID the store knows the current session by (meaningful while <see cref="IsNew"/> is false).</summary>
    public SessionStoreId StoreId => _identity.StoreId;

    public bool IsNew => _identity.IsNew;

    /// <summary>A short tag of the store ID for logs; never the session ID.</summary>
    public string LogTag => _identity.LogTag;

    /// <summary>How many watchers this scope has (for tests).</summary>
    internal int WatcherCount => _watchers?.Count ?? 0;

    /// <summary>Completes when every watcher notified so far has handled its notice (for tests).</summary>
    internal Task WhenWatchersNotifiedAsync() => _watchers?.WhenNotifiedAsync() ?? Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>
    /// A synchronous property over an asynchronous store: when the scope has not read its session yet,
    /// this reads it (one round trip, which blocks the thread on an asynchronous store; read a state first,
    /// or await <see cref="SignInAsync"/>, to avoid that on hot paths).
    /// </remarks>
    public string? UserKey
    {
        get
        {
            EnsureAttached();
            var pending = EnsureKnownAsync(CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }

            return _identity.ExistsInStore == true ? _identity.UserKey : null;
        }
    }

    /// <inheritdoc />
    public string? Handle => _identity.Handle;

    /// <summary>Whether the scope is on a session the store has (asking the store when not known yet).</summary>
    public async ValueTask<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        EnsureAttached();
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        return _identity.ExistsInStore == true;
    }

    /// <summary><see cref="UserKey"/> without blocking: asks the store when the scope does not know yet.</summary>
    public async ValueTask<string?> GetUserKeyAsync(CancellationToken cancellationToken) =>
        await ExistsAsync(cancellationToken).ConfigureAwait(false) ? _identity.UserKey : null;

    /// <summary>The slots this scope has read or written (for handing them to a WebAssembly page).</summary>
    public IEnumerable<SlotState> LoadedSlots => _slots.Loaded;

    /// <summary>
    /// Binds this scope to the session named by a validated cookie (or to a pre-session), run by
    /// <paramref name="host"/>: a request (cookie changes go out with its response when it starts), a
    /// circuit (they are pushed to the browser as they happen) or a test.
    /// </summary>
    /// <param name="sessionIdFromCookie">The validated session ID of the cookie, or <see langword="null"/>.</param>
    /// <param name="host">What runs the scope.</param>
    /// <param name="hostState">What <paramref name="host"/> is asked with (a request's context).</param>
    public void Attach(SessionCookieId? sessionIdFromCookie, SessionHost host, object? hostState = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_attached)
        {
            throw new InvalidOperationException("This scope's session is already attached.");
        }

        _attached = true;
        _hadCookie = sessionIdFromCookie is not null;
        _host = host;
        _hostState = hostState;
        if (sessionIdFromCookie is { } fromCookie)
        {
            UseId(fromCookie);
        }
    }

    /// <summary>The slot named <paramref name="key"/>, loaded from the store on first use in this scope.</summary>
    public async ValueTask<SlotState> GetSlotAsync(string key, CancellationToken cancellationToken)
    {
        EnsureAttached();
        _identity.TakeEndedElsewhere();
        var slot = _slots.For(key);
        if (slot.NeedsLoad)
        {
            slot.Clear();
            await LoadAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        return slot;
    }

    /// <summary>
    /// The slot named <paramref name="key"/> for a read-modify-write: when this scope has not read it and
    /// the store is a round trip away, this process's remembered copy (<see cref="SlotState.Assumed"/>),
    /// which the update's compare-and-set confirms or refuses; otherwise as <see cref="GetSlotAsync"/>.
    /// </summary>
    public ValueTask<SlotState> GetSlotForUpdateAsync(string key, CancellationToken cancellationToken)
    {
        EnsureAttached();
        _identity.TakeEndedElsewhere();
        var slot = _slots.For(key);
        if (slot.NeedsLoad && _identity.MayExist && !_identity.Reserved && !_identity.MintedHere && !_identity.EndedUnderneath
            && Store.TryRecall(key, out var remembered))
        {
            slot.Clear();
            slot.AssumedFrom(remembered);
            return ValueTask.FromResult(slot);
        }

        return GetSlotAsync(key, cancellationToken);
    }

    /// <summary>
    /// Holds off the other read-modify-writes of slot <paramref name="key"/> in this process until the
    /// result is disposed. A pre-session needs no lock: no one else knows its ID.
    /// </summary>
    public ValueTask<SlotWriteLocks.Releaser> LockSlotAsync(string key, CancellationToken cancellationToken) =>
        _identity.HasId ? _writeLocks.AcquireAsync(_identity.StoreId, key, cancellationToken) : default;

    /// <summary>Reads the slot again from the store (after a refused write).</summary>
    public ValueTask ReloadAsync(SlotState slot, CancellationToken cancellationToken)
    {
        slot.Clear();
        return LoadAsync(slot, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="data"/> if the slot's stored version is <paramref name="expectedVersion"/>.
    /// Gives a pre-session its ID first.
    /// </summary>
    /// <returns><see langword="false"/> when the stored version differed (someone else wrote first).</returns>
    public async ValueTask<bool> TrySaveAsync(SlotState slot, byte[] data, long expectedVersion, object? value, CancellationToken cancellationToken)
    {
        EnsureAttached();
        _identity.TakeEndedElsewhere();
        if (_identity.EndedUnderneath)
        {
            throw Ended(slot.Key);
        }

        // Only an ID minted by this scope may create a session in the store; any other ID must still exist.
        var create = _identity.Reserved;
        if (!_identity.MayExist && !_identity.Reserved)
        {
            StartNewSession();
            create = true;
        }

        var assumed = slot.Assumed;
        var result = await Store.SaveAsync(slot.Key, data, expectedVersion, create, cancellationToken).ConfigureAwait(false);
        if (result.IsSessionMissing && assumed)
        {
            // The remembered copy was of a session that is gone: the caller loads, and learns whether it
            // expired, ended or was renewed away, as a request that had loaded first would have.
            slot.Clear();
            return false;
        }

        if (result.IsSessionMissing)
        {
            _identity.Ended();
            throw Ended(slot.Key);
        }

        if (!result.Saved)
        {
            return false;
        }

        _metrics.SlotSaved(slot.Key);
        if (create)
        {
            _metrics.SessionCreated();
        }

        if (assumed)
        {
            _identity.WrittenUnobserved();
        }
        else
        {
            _identity.Written(create, cookieStaysHere: !_host.PushesCookies, _time.GetUtcNow());
        }

        slot.Written(data, result.Version, value);
        Store.Remember(slot.Key, new StoredSlot(data, result.Version));
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        Publish(slot.Key, result.Version);
        return true;
    }

    /// <summary>Removes the slot from the store.</summary>
    public async ValueTask RemoveAsync(SlotState slot, CancellationToken cancellationToken)
    {
        var wasStored = _identity.HasId && slot.Data is not null;
        if (wasStored)
        {
            await Store.RemoveAsync(slot.Key, cancellationToken).ConfigureAwait(false);
        }

        slot.Removed();
        if (wasStored)
        {
            await PushCookieAsync(cancellationToken).ConfigureAwait(false);
            Publish(slot.Key, StoredSlot.Absent);
        }
    }

    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        _identity.TakeEndedElsewhere();
        if (!_identity.HasId)
        {
            return; // a pre-session has nothing to move; its first write gets a fresh ID anyway
        }

        var oldTag = LogTag;
        var oldStoreId = _identity.StoreId;
        var newId = SessionCookieId.Of(NewSessionId());
        EnsureCookieCanChange();
        if (!await Store.RenewAsync(newId.StoreId, cancellationToken).ConfigureAwait(false))
        {
            var endedUnderneath = _identity.SeenInStore;
            ForgetId();
            if (endedUnderneath)
            {
                // Signed out or renewed by another request meanwhile: this one must not sign in on its own.
                _identity.Ended();
                throw Ended(key: null);
            }

            // Nothing was stored under the old ID: carry on as a pre-session.
            await PushCookieAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _identity.Renewed(newId);
        _watchers?.FollowCurrentId();
        _outbox.IssueSessionCookie(newId.SessionId);
        _metrics.SessionRenewed();
        Log.SessionRenewed(_logger, oldTag, LogTag);
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);

        // Other scopes still on the old ID lose it (they must not learn the new one); this one moved on.
        _feed.Publish(new SessionChange(oldStoreId, null, StoredSlot.Absent));
        _watchers?.Notify(null);
    }

    public async Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        if (_hooks.Any)
        {
            await EnsureKnownAsync(cancellationToken).ConfigureAwait(false); // the hooks are told whose session ended
        }

        var oldStoreId = _identity.StoreId;
        var oldUser = _identity.UserKey;
        var destroyed = _identity.MayExist;
        if (destroyed)
        {
            await Store.DestroyAsync(cancellationToken).ConfigureAwait(false);
            Log.SessionInvalidated(_logger, LogTag);
        }

        ForgetId();
        _identity.ClearEnded(); // ended by this scope itself: it carries on as a fresh pre-session
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        if (destroyed)
        {
            _feed.Publish(new SessionChange(oldStoreId, null, StoredSlot.Absent));
        }

        _watchers?.Notify(null);
        if (destroyed)
        {
            await _hooks.EndedAsync(oldStoreId, oldUser, SessionEndReason.Invalidated, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SignInAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        EnsureAttached();
        _ = SessionUsers.Of(Store.Inner); // fail before changing anything when no store keeps users
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        if (_identity.EndedUnderneath)
        {
            // Ended elsewhere (revoked on another device, say): a sign-in starts afresh, carrying nothing over.
            ForgetId();
            _identity.ClearEnded();
        }

        // A session that exists moves to a new ID (as RenewAsync); one that does not yet starts under a
        // new ID (or the one a streamed page already sent), so sign-in always ends on an ID no one saw before.
        bool create;
        if (_identity.HasId && _identity.ExistsInStore == true)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            create = false;
        }
        else if (_identity.Reserved)
        {
            create = true;
        }
        else
        {
            StartNewSession();
            create = true;
        }

        if (!await Store.SetUserAsync(userKey, _host.Device(_hostState), create, cancellationToken).ConfigureAwait(false))
        {
            _identity.Ended();
            throw Ended(key: null);
        }

        _identity.Written(create, cookieStaysHere: !_host.PushesCookies, _time.GetUtcNow());
        _identity.SignedIn(userKey);
        if (create)
        {
            _metrics.SessionCreated();
        }

        Log.SignedIn(_logger, LogTag);
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        _watchers?.Notify(null);
    }

    public async Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        if (_identity.ExistsInStore != true || _identity.UserKey is not { } user)
        {
            return 0;
        }

        return await _directory.EndUserSessionsAsync(Store.Inner, user, except: _identity.StoreId, cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(Func<Task> onChanged) => Watch(key: null, onChanged);

    /// <summary>
    /// Calls <paramref name="onChanged"/> whenever slot <paramref name="key"/> changes: written by this
    /// scope, by another request or circuit of the session, or reset by renew and invalidate. With a
    /// <see langword="null"/> key, only when the session as a whole changes (signed in, renewed, ended).
    /// </summary>
    public IDisposable Watch(string? key, Func<Task> onChanged)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var watchers = _watchers;
        if (watchers is null)
        {
            var created = new SessionWatchers(_feed, _slots, _identity, _logger);
            watchers = Interlocked.CompareExchange(ref _watchers, created, null) ?? created;
        }

        return watchers.Add(key, onChanged, this);
    }

    public void Dispose()
    {
        _disposed = true;
        _watchers?.Dispose();
    }

    /// <summary>
    /// Makes sure the cookie sent when the response starts names a session this scope can write to, for
    /// responses that start before the page has finished writing (streaming rendering): a visitor
    /// without a usable session gets a fresh ID now, and nothing is stored for it until a write.
    /// </summary>
    public async ValueTask PrepareForStreamingAsync(CancellationToken cancellationToken)
    {
        EnsureAttached();
        if (_identity.NeedsCheck && _identity.Observe(await Store.LoadAsync(null, cancellationToken).ConfigureAwait(false)))
        {
            return;
        }

        if (!_identity.MayExist)
        {
            StartNewSession();
            _identity.Reserve();
        }
    }

    /// <summary>
    /// Keeps a long-lived scope's session from idling out: refreshes the store's "last used" time
    /// once it is older than the refresh interval. A request refreshes it when it loads a slot; a
    /// Blazor circuit calls this on user activity.
    /// </summary>
    public async ValueTask KeepAliveAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!_identity.HasId || _identity.ExistsInStore != true || now - _identity.LastAccessed < _options.EffectiveIdleRefreshInterval)
        {
            return;
        }

        _identity.Touched(now);
        await Store.TouchAsync(cancellationToken).ConfigureAwait(false);
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask LoadAsync(SlotState slot, CancellationToken cancellationToken)
    {
        if (!_identity.MayExist || (_identity.MintedHere && _host.CanChangeCookie(_hostState)))
        {
            slot.LoadedEmpty(); // a pre-session, one the store does not have, or one only this request knows yet: nothing to ask for
            return;
        }

        var result = await Store.LoadAsync(slot.Key, cancellationToken).ConfigureAwait(false);
        _metrics.SlotLoaded(slot.Key);
        if (!_identity.Observe(result) || result.Slots[0] is not { } stored)
        {
            slot.LoadedEmpty();
            return;
        }

        slot.LoadedFrom(stored);
        Store.Remember(slot.Key, stored);

        // Reads keep a session alive, but writing "last used" on every read would turn every request
        // into a store write: the refresh happens once the stored time is older than the interval.
        await KeepAliveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the store whether the session exists (and whose it is) when this scope does not know yet.</summary>
    private async ValueTask EnsureKnownAsync(CancellationToken cancellationToken)
    {
        _identity.TakeEndedElsewhere();
        if (_identity.NeedsCheck)
        {
            _identity.Observe(await Store.LoadAsync(null, cancellationToken).ConfigureAwait(false));
        }
    }

    private void StartNewSession()
    {
        EnsureCookieCanChange();
        if (_host.RefuseNewSession(_hostState) is { } retryAfter)
        {
            Log.SessionCreationLimited(_logger);
            throw new SessionRateLimitedException { RetryAfter = retryAfter > TimeSpan.Zero ? retryAfter : null };
        }

        var id = SessionCookieId.Of(NewSessionId());
        UseId(id);
        _outbox.IssueSessionCookie(id.SessionId);
        Log.SessionStarted(_logger, LogTag);
    }

    private void ForgetId()
    {
        _identity.Forget();
        _slots.ClearAll();
        _outbox.ForgetSessionCookie(browserHasOne: _hadCookie || _host.PushesCookies);
        _watchers?.FollowCurrentId();
    }

    private void UseId(SessionCookieId sessionId)
    {
        _identity.Use(sessionId);
        _watchers?.FollowCurrentId();
    }

    private void Publish(string key, long version)
    {
        if (_identity.HasId)
        {
            _feed.Publish(new SessionChange(_identity.StoreId, key, version));
        }
    }

    // A scope without a response of its own (a circuit) delivers its cookie changes as they happen: what
    // the outbox holds (the session cookie's change and the slot cookies) goes in one push.
    private async Task PushCookieAsync(CancellationToken cancellationToken)
    {
        if (!_host.PushesCookies || !_outbox.HasPending)
        {
            return;
        }

        await _host.PushCookieAsync(this, cancellationToken).ConfigureAwait(false);
    }

    private void EnsureCookieCanChange()
    {
        if (!_host.CanChangeCookie(_hostState))
        {
            throw new InvalidOperationException(
                "The session needs a new cookie, but the response has already started. Write to the session " +
                "before the response body starts (or before the first flush of a streaming response).");
        }
    }

    private void EnsureAttached()
    {
        if (!_attached)
        {
            throw new InvalidOperationException(
                "No session is attached to this scope. Call app.UseTypedSessions() before the endpoints that use ISession<T>.");
        }
    }

    private SessionEndedException Ended(string? key)
    {
        Log.WriteAfterSessionEnded(_logger, key ?? "(renew)", LogTag);
        return new SessionEndedException();
    }

    private static byte[] NewSessionId() => RandomNumberGenerator.GetBytes(SessionStoreId.SessionIdSize);
}
