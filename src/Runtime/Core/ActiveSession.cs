using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;
using TypedSessions.Users;
using TypedSessions.Diagnostics;
using TypedSessions.Cookies;

namespace TypedSessions.Core;

/// <summary>
/// The session of one scope (an HTTP request or a Blazor circuit): its ID, the slots read so far, and
/// every call to the store. <see cref="ISession{T}"/> instances share it.
/// </summary>
/// <remarks>
/// A scope is attached to a session ID taken from the request's cookie, or to none (a pre-session).
/// A pre-session gets an ID only at its first write, so that traffic without a cookie costs the store
/// nothing; an ID the store no longer knows is never reused for new data (it is replaced at the
/// first write), so an expired or destroyed ID cannot be brought back to life. A session that ends while
/// the scope is using it (signed out or renewed by another request, expired) ends for the scope too:
/// its writes are refused with <see cref="SessionEndedException"/> rather than written under the old ID
/// or into a new session, so a request racing a sign-out never brings the session or its data back.
/// Change notices (<see cref="ActiveSession.Watch"/>) are in ActiveSession.Watching.cs.
/// </remarks>
internal sealed partial class ActiveSession : ISessionContext, IDisposable
{
    private readonly ISessionStore _store;
    private readonly CookieOutbox _outbox;
    private readonly ISessionChangeFeed _feed;
    private readonly SlotWriteLocks _writeLocks;
    private readonly TypedSessionsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveSession> _logger;

    // The slots this scope has used: a handful at most, so an array searched in order. Replaced, never
    // changed in place, because change notices read it from the publisher's thread without a lock.
    private SlotState[] _slots = [];
    private byte[]? _sessionId;
    private SessionStoreId _storeId;
    private bool? _existsInStore;
    private DateTimeOffset _lastAccessed = DateTimeOffset.MaxValue;
    private bool _attached;
    private bool _hadCookie;

    // The store confirmed the current ID exists (a load found it, or this scope wrote to it); when it is
    // found missing afterwards, the session ended under this scope (_endedUnderneath).
    private bool _seenInStore;
    private bool _endedUnderneath;
    private string? _userKey;
    private Func<string?>? _device;

    // This request scope minted the current ID and its cookie has not left yet: no one else can have
    // written to it, so slots it has not written are known to be empty without asking the store.
    private bool _mintedHere;

    // An ID minted before the response started (streaming) and already on its way to the client in the
    // cookie: nothing is stored under it yet, and the first write uses it rather than replacing it.
    private bool _reservedId;
    private Func<bool>? _canChangeCookie;
    private Func<TimeSpan?>? _refuseNewSession;
    private Func<ActiveSession, CancellationToken, Task>? _pushCookie;

    private readonly SessionEndedHooks _hooks;
    private readonly SessionDirectory _directory;

    public ActiveSession(
        ISessionStore store,
        CookieOutbox outbox,
        ISessionChangeFeed feed,
        SlotWriteLocks writeLocks,
        SessionEndedHooks hooks,
        SessionDirectory directory,
        IOptions<TypedSessionsOptions> options,
        TimeProvider time,
        ILogger<ActiveSession> logger,
        SessionMetrics metrics)
    {
        _hooks = hooks;
        _directory = directory;
        _store = store;
        _outbox = outbox;
        _feed = feed;
        _writeLocks = writeLocks;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Metrics = metrics;
        _onFeedChange = OnFeedChange;
    }

    public TypedSessionsOptions Options => _options;

    public SessionMetrics Metrics { get; }

    public ILogger Logger => _logger;

    /// <summary>The session ID of the scope, which a pending Issue carries (for tests and logs of the binder).</summary>
    public ReadOnlySpan<byte> SessionId => _sessionId;

    public bool IsAttached => _attached;

    public bool IsNew => _sessionId is null || _existsInStore == false;

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

            return _existsInStore == true ? _userKey : null;
        }
    }

    /// <inheritdoc />
    public string? Handle => _sessionId is null || _existsInStore == false ? null : _storeId.ToString();

    /// <summary>A short tag of the store ID for logs; never the session ID.</summary>
    public string LogTag => _sessionId is null ? "(pre-session)" : _storeId.ToLogTag();

    /// <summary>
    /// Binds this scope to the session named by a validated cookie (or to a pre-session).
    /// <paramref name="canChangeCookie"/> tells whether a new cookie can still reach the client. In a
    /// scope without a response of its own (a Blazor circuit), <paramref name="pushCookie"/> delivers
    /// the <see cref="CookieOutbox"/> to the client as soon as a change happens; otherwise the middleware
    /// writes it to the response when the response starts.
    /// </summary>
    /// <param name="sessionIdFromCookie">The validated session ID of the cookie, or <see langword="null"/>.</param>
    /// <param name="canChangeCookie">Whether a new cookie can still reach the client.</param>
    /// <param name="pushCookie">Delivers a cookie change at once (a circuit), or <see langword="null"/>.</param>
    /// <param name="refuseNewSession">
    /// Asked before a new session is started: <see langword="null"/> allows it; a value refuses it, with
    /// when to retry (<see cref="TimeSpan.Zero"/> when unknown).
    /// </param>
    /// <param name="device">The device label of the client, asked for at sign-in.</param>
    public void Attach(
        byte[]? sessionIdFromCookie,
        Func<bool> canChangeCookie,
        Func<ActiveSession, CancellationToken, Task>? pushCookie = null,
        Func<TimeSpan?>? refuseNewSession = null,
        Func<string?>? device = null)
    {
        if (_attached)
        {
            throw new InvalidOperationException("This scope's session is already attached.");
        }

        _attached = true;
        _hadCookie = sessionIdFromCookie is not null;
        _canChangeCookie = canChangeCookie;
        _pushCookie = pushCookie;
        _refuseNewSession = refuseNewSession;
        _device = device;
        if (sessionIdFromCookie is not null)
        {
            UseId(sessionIdFromCookie);
        }
    }

    /// <summary>The slot named <paramref name="key"/>, loaded from the store on first use in this scope.</summary>
    public async ValueTask<SlotState> GetSlotAsync(string key, CancellationToken cancellationToken)
    {
        EnsureAttached();
        TakeSessionNotice();
        var slot = SlotFor(key);
        if (!slot.Loaded || slot.Stale)
        {
            slot.Clear();
            await LoadAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        return slot;
    }

    private SlotState SlotFor(string key)
    {
        while (true)
        {
            var slots = Volatile.Read(ref _slots);
            if (FindSlot(slots, key) is { } existing)
            {
                return existing;
            }

            var created = new SlotState(key);
            if (Interlocked.CompareExchange(ref _slots, [.. slots, created], slots) == slots)
            {
                return created;
            }
        }
    }

    private static SlotState? FindSlot(SlotState[] slots, string key)
    {
        foreach (var slot in slots)
        {
            if (string.Equals(slot.Key, key, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    /// <summary>
    /// Holds off the other read-modify-writes of slot <paramref name="key"/> in this process until the
    /// result is disposed. A pre-session needs no lock: no one else knows its ID.
    /// </summary>
    public ValueTask<SlotWriteLocks.Releaser> LockSlotAsync(string key, CancellationToken cancellationToken) =>
        _sessionId is null ? default : _writeLocks.AcquireAsync(_storeId, key, cancellationToken);

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
        TakeSessionNotice();
        if (_endedUnderneath)
        {
            throw Ended(slot.Key);
        }

        // Only an ID minted by this scope may create a session in the store; any other ID must still exist.
        var create = _reservedId;
        if (_sessionId is null || (_existsInStore == false && !_reservedId))
        {
            StartNewSession();
            create = true;
        }

        var result = await CallStoreAsync("save", store => store.SaveAsync(_storeId, slot.Key, data, expectedVersion, create, cancellationToken)).ConfigureAwait(false);

        if (result.IsSessionMissing)
        {
            _existsInStore = false;
            _endedUnderneath = true;
            throw Ended(slot.Key);
        }

        if (!result.Saved)
        {
            return false;
        }

        Metrics.SlotSaved(slot.Key);
        if (create)
        {
            Metrics.SessionCreated();
        }

        _mintedHere = create && !_reservedId && _pushCookie is null;
        _existsInStore = true;
        _seenInStore = true;
        _reservedId = false;
        _lastAccessed = _time.GetUtcNow();
        slot.Loaded = true;
        slot.Data = data;
        slot.Version = result.Version;
        slot.Value = value;
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        Publish(slot.Key, result.Version);
        return true;
    }

    /// <summary>Removes the slot from the store.</summary>
    public async ValueTask RemoveAsync(SlotState slot, CancellationToken cancellationToken)
    {
        var wasStored = _sessionId is not null && slot.Data is not null;
        if (wasStored)
        {
            await CallStoreAsync("remove", store => store.RemoveAsync(_storeId, slot.Key, cancellationToken)).ConfigureAwait(false);
        }

        slot.Loaded = true;
        slot.Data = null;
        slot.Version = StoredSlot.Absent;
        slot.Value = null;
        if (wasStored)
        {
            await PushCookieAsync(cancellationToken).ConfigureAwait(false);
            Publish(slot.Key, StoredSlot.Absent);
        }
    }

    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        TakeSessionNotice();
        if (_sessionId is null)
        {
            return; // a pre-session has nothing to move; its first write gets a fresh ID anyway
        }

        var oldTag = LogTag;
        var oldStoreId = _storeId;
        var newId = NewSessionId();
        EnsureCookieCanChange();
        var moved = await CallStoreAsync("renew", store => store.RenewAsync(_storeId, SessionStoreId.FromSessionId(newId), cancellationToken)).ConfigureAwait(false);

        if (!moved)
        {
            var endedUnderneath = _seenInStore;
            ForgetId();
            if (endedUnderneath)
            {
                // Signed out or renewed by another request meanwhile: this one must not sign in on its own.
                _endedUnderneath = true;
                throw Ended(key: null);
            }

            // Nothing was stored under the old ID: carry on as a pre-session.
            await PushCookieAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        UseId(newId);
        _existsInStore = true;
        _seenInStore = true;
        _outbox.IssueSessionCookie(newId);
        Metrics.SessionRenewed();
        Log.SessionRenewed(_logger, oldTag, LogTag);
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);

        // Other scopes still on the old ID lose it (they must not learn the new one); this one moved on.
        _feed.Publish(new SessionChange(oldStoreId, null, StoredSlot.Absent));
        NotifyWatchers(null);
    }

    public async Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        if (_hooks.Any)
        {
            await EnsureKnownAsync(cancellationToken).ConfigureAwait(false); // the hooks are told whose session ended
        }

        var oldStoreId = _storeId;
        var oldUser = _userKey;
        var destroyed = _sessionId is not null && _existsInStore != false;
        if (destroyed)
        {
            await CallStoreAsync("destroy", store => store.DestroyAsync(_storeId, cancellationToken)).ConfigureAwait(false);

            Log.SessionInvalidated(_logger, LogTag);
        }

        ForgetId();
        _endedUnderneath = false; // ended by this scope itself: it carries on as a fresh pre-session
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        if (destroyed)
        {
            _feed.Publish(new SessionChange(oldStoreId, null, StoredSlot.Absent));
        }

        NotifyWatchers(null);
        if (destroyed)
        {
            await _hooks.EndedAsync(oldStoreId, oldUser, SessionEndReason.Invalidated, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SignInAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        EnsureAttached();
        var users = SessionUsers.Of(_store);
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        if (_endedUnderneath)
        {
            // Ended elsewhere (revoked on another device, say): a sign-in starts afresh, carrying nothing over.
            ForgetId();
            _endedUnderneath = false;
        }

        // A session that exists moves to a new ID (as RenewAsync); one that does not yet starts under a
        // new ID (or the one a streamed page already sent), so sign-in always ends on an ID no one saw before.
        bool create;
        if (_sessionId is not null && _existsInStore == true)
        {
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            create = false;
        }
        else if (_reservedId)
        {
            create = true;
        }
        else
        {
            StartNewSession();
            create = true;
        }

        var device = _device?.Invoke();
        var tied = await CallStoreAsync("set_user", _ => users.SetUserAsync(_storeId, userKey, device, create, cancellationToken)).ConfigureAwait(false);
        if (!tied)
        {
            _existsInStore = false;
            _endedUnderneath = true;
            throw Ended(key: null);
        }

        _mintedHere = create && !_reservedId && _pushCookie is null;
        _existsInStore = true;
        _seenInStore = true;
        _reservedId = false;
        _userKey = userKey;
        _lastAccessed = _time.GetUtcNow();
        if (create)
        {
            Metrics.SessionCreated();
        }

        Log.SignedIn(_logger, LogTag);
        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
        NotifyWatchers(null);
    }

    public async Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        await EnsureKnownAsync(cancellationToken).ConfigureAwait(false);
        if (_existsInStore != true || _userKey is not { } user)
        {
            return 0;
        }

        return await _directory.EndUserSessionsAsync(_store, user, except: _storeId, cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(Func<Task> onChanged) => Watch(key: null, onChanged);

    /// <summary>
    /// Makes sure the cookie sent when the response starts names a session this scope can write to, for
    /// responses that start before the page has finished writing (streaming rendering): a visitor
    /// without a usable session gets a fresh ID now, and nothing is stored for it until a write.
    /// </summary>
    public async ValueTask PrepareForStreamingAsync(CancellationToken cancellationToken)
    {
        EnsureAttached();
        if (_sessionId is not null && _existsInStore is null)
        {
            var result = await CallStoreAsync("load", store => store.LoadAsync(_storeId, [], cancellationToken)).ConfigureAwait(false);
            if (Observe(result))
            {
                return;
            }
        }

        if (_sessionId is null || _existsInStore == false)
        {
            StartNewSession();
            _existsInStore = false;
            _reservedId = true;
        }
    }

    /// <summary>
    /// Keeps a long-lived scope's session from idling out: refreshes the store's "last used" time
    /// once it is older than the refresh interval. A request refreshes it when it loads a slot; a
    /// Blazor circuit calls this on user activity.
    /// </summary>
    public async ValueTask KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (_sessionId is null || _existsInStore != true || _time.GetUtcNow() - _lastAccessed < _options.EffectiveIdleRefreshInterval)
        {
            return;
        }

        _lastAccessed = _time.GetUtcNow();
        await CallStoreAsync("touch", store => store.TouchAsync(_storeId, cancellationToken)).ConfigureAwait(false);

        await PushCookieAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask LoadAsync(SlotState slot, CancellationToken cancellationToken)
    {
        if (_sessionId is null || _existsInStore == false || (_mintedHere && _canChangeCookie?.Invoke() == true))
        {
            slot.Loaded = true; // a pre-session, one the store does not have, or one only this request knows yet: nothing to ask for
            return;
        }

        var result = await CallStoreAsync("load", store => store.LoadAsync(_storeId, [slot.Key], cancellationToken)).ConfigureAwait(false);
        Metrics.SlotLoaded(slot.Key);

        slot.Loaded = true;
        if (!Observe(result))
        {
            return;
        }

        if (result.Slots[0] is { } stored)
        {
            slot.Data = stored.Data;
            slot.Version = stored.Version;
        }

        // Reads keep a session alive, but writing "last used" on every read would turn every request
        // into a store write: the refresh happens once the stored time is older than the interval.
        if (_lastAccessed == DateTimeOffset.MaxValue)
        {
            _lastAccessed = result.LastAccessed;
        }

        await KeepAliveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records what a load found out about the session itself; <see langword="false"/> when it does not exist.</summary>
    private bool Observe(SessionLoadResult result)
    {
        if (!result.Exists)
        {
            // Seen alive by this scope and gone now, or renewed away a moment ago by a sign-in this request
            // is racing: either way its writes must not start a session that would compete with the new one.
            if (_seenInStore || result.RenewedAway)
            {
                _endedUnderneath = true;
                Log.SessionEndedUnderneath(_logger, LogTag);
            }
            else if (_existsInStore is null)
            {
                Log.SessionUnknown(_logger, LogTag);
            }

            _existsInStore = false;
            _userKey = null;
            return false;
        }

        _existsInStore = true;
        _seenInStore = true;
        _userKey = result.UserKey;
        return true;
    }

    /// <summary>Asks the store whether the session exists (and whose it is) when this scope does not know yet.</summary>
    private async ValueTask EnsureKnownAsync(CancellationToken cancellationToken)
    {
        TakeSessionNotice();
        if (_sessionId is not null && _existsInStore is null)
        {
            Observe(await CallStoreAsync("load", store => store.LoadAsync(_storeId, [], cancellationToken)).ConfigureAwait(false));
        }
    }

    private void StartNewSession()
    {
        EnsureCookieCanChange();
        if (_refuseNewSession?.Invoke() is { } retryAfter)
        {
            Log.SessionCreationLimited(_logger);
            throw new SessionRateLimitedException { RetryAfter = retryAfter > TimeSpan.Zero ? retryAfter : null };
        }

        var id = NewSessionId();
        UseId(id);
        _outbox.IssueSessionCookie(id);
        Log.SessionStarted(_logger, LogTag);
    }

    private void ForgetId()
    {
        _sessionId = null;
        _userKey = null;
        _reservedId = false;
        _existsInStore = null;
        _seenInStore = false;
        _mintedHere = false;
        _lastAccessed = DateTimeOffset.MaxValue;
        foreach (var slot in Volatile.Read(ref _slots))
        {
            slot.Clear();
        }

        _outbox.ForgetSessionCookie(browserHasOne: _hadCookie || _pushCookie is not null);
        FollowCurrentId();
    }

    private void UseId(byte[] sessionId)
    {
        _sessionId = sessionId;
        _storeId = SessionStoreId.FromSessionId(sessionId);
        _existsInStore = null;
        _seenInStore = false;
        _mintedHere = false;
        _lastAccessed = DateTimeOffset.MaxValue;
        FollowCurrentId();
    }

    // A scope without a response of its own (a circuit) delivers its cookie changes as they happen: what
    // the outbox holds (the session cookie's change and the slot cookies) goes in one push.
    private async Task PushCookieAsync(CancellationToken cancellationToken)
    {
        if (_pushCookie is null || !_outbox.HasPending)
        {
            return;
        }

        await _pushCookie(this, cancellationToken).ConfigureAwait(false);
    }

    private void EnsureCookieCanChange()
    {
        if (_canChangeCookie is not null && !_canChangeCookie())
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

    private ValueTask<T> CallStoreAsync<T>(string operation, Func<ISessionStore, ValueTask<T>> call) =>
        StoreCalls.RunAsync(_store, Metrics, _logger, operation, call, LogTag);

    private ValueTask<bool> CallStoreAsync(string operation, Func<ISessionStore, ValueTask> call) =>
        CallStoreAsync(operation, async store =>
        {
            await call(store).ConfigureAwait(false);
            return true;
        });
}
