using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Hosting;
using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// The session of one scope (an HTTP request, later a Blazor circuit): its ID, the slots read so
/// far, and every call to the store. <see cref="ISession{T}"/> instances share it.
/// </summary>
/// <remarks>
/// A scope is attached to a session ID taken from the request's cookie, or to none (a pre-session).
/// A pre-session gets an ID only at its first write, so that traffic without a cookie costs the store
/// nothing; an ID the store no longer knows is never reused for new data (it is replaced at the
/// first write), so an expired or destroyed ID cannot be brought back to life.
/// </remarks>
internal sealed class ActiveSession : ISessionContext
{
    private readonly ISessionStore _store;
    private readonly TypedSessionsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveSession> _logger;
    private readonly Dictionary<string, SlotState> _slots = new(StringComparer.Ordinal);
    private byte[]? _sessionId;
    private SessionStoreId _storeId;
    private bool? _existsInStore;
    private bool _touched;
    private bool _attached;
    private bool _hadCookie;
    private Func<bool>? _canChangeCookie;

    public ActiveSession(ISessionStore store, IOptions<TypedSessionsOptions> options, TimeProvider time, ILogger<ActiveSession> logger, SessionMetrics metrics)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Metrics = metrics;
    }

    public TypedSessionsOptions Options => _options;

    public SessionMetrics Metrics { get; }

    public ILogger Logger => _logger;

    /// <summary>What the response must do to the cookie.</summary>
    public SessionCookieChange CookieChange { get; private set; }

    /// <summary>The session ID to put in the cookie when <see cref="CookieChange"/> is Issue.</summary>
    public ReadOnlySpan<byte> SessionId => _sessionId;

    public bool IsNew => _sessionId is null || _existsInStore == false;

    /// <summary>A short tag of the store ID for logs; never the session ID.</summary>
    public string LogTag => _sessionId is null ? "(pre-session)" : _storeId.ToLogTag();

    /// <summary>
    /// Binds this scope to the session named by a validated cookie (or to a pre-session).
    /// <paramref name="canChangeCookie"/> tells whether a new cookie can still reach the client.
    /// </summary>
    public void Attach(byte[]? sessionIdFromCookie, Func<bool> canChangeCookie)
    {
        if (_attached)
        {
            throw new InvalidOperationException("This scope's session is already attached.");
        }

        _attached = true;
        _hadCookie = sessionIdFromCookie is not null;
        _canChangeCookie = canChangeCookie;
        if (sessionIdFromCookie is not null)
        {
            UseId(sessionIdFromCookie);
        }
    }

    /// <summary>The slot named <paramref name="key"/>, loaded from the store on first use in this scope.</summary>
    public async ValueTask<SlotState> GetSlotAsync(string key, CancellationToken cancellationToken)
    {
        EnsureAttached();
        if (!_slots.TryGetValue(key, out var slot))
        {
            slot = new SlotState(key);
            _slots.Add(key, slot);
        }

        if (!slot.Loaded)
        {
            await LoadAsync(slot, cancellationToken).ConfigureAwait(false);
        }

        return slot;
    }

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
        if (_sessionId is null || _existsInStore == false)
        {
            StartNewSession();
        }

        SlotSaveResult result;
        try
        {
            result = await _store.SaveAsync(_storeId, slot.Key, data, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Unavailable("save", e);
        }

        if (!result.Saved)
        {
            return false;
        }

        _existsInStore = true;
        slot.Loaded = true;
        slot.Data = data;
        slot.Version = result.Version;
        slot.Value = value;
        return true;
    }

    /// <summary>Removes the slot from the store.</summary>
    public async ValueTask RemoveAsync(SlotState slot, CancellationToken cancellationToken)
    {
        if (_sessionId is not null && slot.Data is not null)
        {
            try
            {
                await _store.RemoveAsync(_storeId, slot.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                throw Unavailable("remove a slot", e);
            }
        }

        slot.Loaded = true;
        slot.Data = null;
        slot.Version = StoredSlot.Absent;
        slot.Value = null;
    }

    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        if (_sessionId is null)
        {
            return; // a pre-session has nothing to move; its first write gets a fresh ID anyway
        }

        var oldTag = LogTag;
        var newId = NewSessionId();
        var newStoreId = SessionStoreId.FromSessionId(newId);
        EnsureCookieCanChange();
        bool moved;
        try
        {
            moved = await _store.RenewAsync(_storeId, newStoreId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Unavailable("renew the session", e);
        }

        if (!moved)
        {
            // Nothing was stored under the old ID: carry on as a pre-session.
            ForgetId();
            return;
        }

        UseId(newId);
        _existsInStore = true;
        CookieChange = SessionCookieChange.Issue;
        Log.SessionRenewed(_logger, oldTag, LogTag);
    }

    public async Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        EnsureAttached();
        if (_sessionId is not null && _existsInStore != false)
        {
            try
            {
                await _store.DestroyAsync(_storeId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                throw Unavailable("destroy the session", e);
            }

            Log.SessionInvalidated(_logger, LogTag);
        }

        ForgetId();
    }

    private async ValueTask LoadAsync(SlotState slot, CancellationToken cancellationToken)
    {
        if (_sessionId is null || _existsInStore == false)
        {
            slot.Loaded = true; // a pre-session, or one the store does not have: nothing to ask for
            return;
        }

        SessionLoadResult result;
        try
        {
            result = await _store.LoadAsync(_storeId, [slot.Key], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Unavailable("load", e);
        }

        slot.Loaded = true;
        if (!result.Exists)
        {
            if (_existsInStore is null)
            {
                Log.SessionUnknown(_logger, LogTag);
            }

            _existsInStore = false;
            return;
        }

        _existsInStore = true;
        if (result.Slots[0] is { } stored)
        {
            slot.Data = stored.Data;
            slot.Version = stored.Version;
        }

        await RefreshIdleTimeAsync(result.LastAccessed, cancellationToken).ConfigureAwait(false);
    }

    // Reads keep a session alive, but writing "last used" on every read would turn every request into
    // a store write: the refresh happens once the stored time is older than the refresh interval.
    private async ValueTask RefreshIdleTimeAsync(DateTimeOffset lastAccessed, CancellationToken cancellationToken)
    {
        if (_touched || _time.GetUtcNow() - lastAccessed < _options.EffectiveIdleRefreshInterval)
        {
            return;
        }

        _touched = true;
        try
        {
            await _store.TouchAsync(_storeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Unavailable("refresh the idle time", e);
        }
    }

    private void StartNewSession()
    {
        EnsureCookieCanChange();
        UseId(NewSessionId());
        CookieChange = SessionCookieChange.Issue;
        Log.SessionStarted(_logger, LogTag);
    }

    private void ForgetId()
    {
        _sessionId = null;
        _existsInStore = null;
        _touched = false;
        foreach (var slot in _slots.Values)
        {
            slot.Clear();
        }

        CookieChange = _hadCookie ? SessionCookieChange.Delete : SessionCookieChange.None;
    }

    private void UseId(byte[] sessionId)
    {
        _sessionId = sessionId;
        _storeId = SessionStoreId.FromSessionId(sessionId);
        _existsInStore = null;
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

    private static byte[] NewSessionId() => RandomNumberGenerator.GetBytes(SessionStoreId.SessionIdSize);

    private static bool IsStoreFailure(Exception e) =>
        e is not (OperationCanceledException or SessionStoreUnavailableException or ArgumentException);

    private SessionStoreUnavailableException Unavailable(string operation, Exception e)
    {
        Log.StoreFailed(_logger, operation, LogTag, e);
        return new SessionStoreUnavailableException($"The session store failed to {operation}: {e.Message}", e);
    }
}
