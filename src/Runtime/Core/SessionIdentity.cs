using Microsoft.Extensions.Logging;
using TypedSessions.Cookies;
using TypedSessions.Diagnostics;
using TypedSessions.Stores;

namespace TypedSessions.Core;

/// <summary>
/// Which session one scope is on, and what the scope knows of it: the ID (or none, a pre-session),
/// whether the store has it, whose it is, and whether it ended under the scope.
/// </summary>
/// <remarks>
/// Only state and its transitions live here; the decisions that need the store or the cookie (when to
/// mint an ID, when to ask) are <see cref="ActiveSession"/>'s. One scope's thread moves it, except
/// <see cref="TakeEndedElsewhere"/>'s flag, which change notices set from the publisher's thread.
/// </remarks>
internal sealed class SessionIdentity(ILogger logger)
{
    private volatile bool _endedElsewhere;
    private string? _logTag;

    /// <summary>The session ID (the cookie's secret), or <see langword="null"/> for a pre-session.</summary>
    public byte[]? SessionId { get; private set; }

    /// <summary>The ID the store knows the session by (a hash of <see cref="SessionId"/>).</summary>
    public SessionStoreId StoreId { get; private set; }

    /// <summary>Whether the store has the session: unknown (<see langword="null"/>) until a load or a write says.</summary>
    public bool? ExistsInStore { get; private set; }

    /// <summary>
    /// The store confirmed the current ID exists (a load found it, or this scope wrote to it); when it is
    /// found missing afterwards, the session ended under this scope.
    /// </summary>
    public bool SeenInStore { get; private set; }

    /// <summary>The session ended while this scope used it: its writes are refused.</summary>
    public bool EndedUnderneath { get; private set; }

    /// <summary>
    /// This request scope minted the current ID and its cookie has not left yet: no one else can have
    /// written to it, so slots it has not written are known to be empty without asking the store.
    /// </summary>
    public bool MintedHere { get; private set; }

    /// <summary>
    /// An ID minted before the response started (streaming) and already on its way to the client in the
    /// cookie: nothing is stored under it yet, and the first write uses it rather than replacing it.
    /// </summary>
    public bool Reserved { get; private set; }

    /// <summary>The user the session is signed in as, as the store last said.</summary>
    public string? UserKey { get; private set; }

    /// <summary>When the store last recorded a use of the session (<see cref="DateTimeOffset.MaxValue"/>: not known).</summary>
    public DateTimeOffset LastAccessed { get; private set; } = DateTimeOffset.MaxValue;

    public bool HasId => SessionId is not null;

    /// <summary>Whether this scope is on a session the store has or may have (not a pre-session, not known missing).</summary>
    public bool MayExist => SessionId is not null && ExistsInStore != false;

    public bool IsNew => SessionId is null || ExistsInStore == false;

    /// <summary>Whether the store still has to be asked whether the session exists.</summary>
    public bool NeedsCheck => SessionId is not null && ExistsInStore is null;

    /// <summary>The public handle of a stored session (base64url of the store ID); never the session ID.</summary>
    public string? Handle => IsNew ? null : StoreId.ToString();

    /// <summary>A short tag of the store ID for logs; never the session ID.</summary>
    public string LogTag => SessionId is null ? "(pre-session)" : _logTag ??= StoreId.ToLogTag();

    /// <summary>Moves to <paramref name="sessionId"/>, knowing nothing of it yet.</summary>
    public void Use(SessionCookieId sessionId)
    {
        SessionId = sessionId.SessionId;
        StoreId = sessionId.StoreId;
        _logTag = sessionId.LogTag;
        ExistsInStore = null;
        SeenInStore = false;
        MintedHere = false;
        LastAccessed = DateTimeOffset.MaxValue;
    }

    /// <summary>Back to a pre-session.</summary>
    public void Forget()
    {
        SessionId = null;
        _logTag = null;
        UserKey = null;
        Reserved = false;
        ExistsInStore = null;
        SeenInStore = false;
        MintedHere = false;
        LastAccessed = DateTimeOffset.MaxValue;
    }

    /// <summary>The ID just used was minted ahead of any write, and its cookie is already on its way.</summary>
    public void Reserve()
    {
        ExistsInStore = false;
        Reserved = true;
    }

    /// <summary>
    /// The store accepted a write to the session (<paramref name="created"/>: the write started it).
    /// <paramref name="cookieStaysHere"/> tells whether the ID's cookie still waits for this scope's own
    /// response (rather than being pushed to a client at once).
    /// </summary>
    public void Written(bool created, bool cookieStaysHere, DateTimeOffset now)
    {
        MintedHere = created && !Reserved && cookieStaysHere;
        ExistsInStore = true;
        SeenInStore = true;
        Reserved = false;
        LastAccessed = now;
    }

    /// <summary>
    /// The store accepted a write that this scope made without loading the session (an update from a
    /// remembered copy): the session exists, while whose it is and when it was last used are still unknown.
    /// </summary>
    public void WrittenUnobserved() => SeenInStore = true;

    /// <summary>The session was moved to a new ID by this scope (renewed): it exists there.</summary>
    public void Renewed(SessionCookieId newId)
    {
        Use(newId);
        ExistsInStore = true;
        SeenInStore = true;
    }

    public void SignedIn(string userKey) => UserKey = userKey;

    /// <summary>The session ended under this scope: it stays on the ID, whose writes are refused.</summary>
    public void Ended()
    {
        ExistsInStore = false;
        EndedUnderneath = true;
    }

    /// <summary>This scope ended or left the session itself: it carries on as a fresh pre-session.</summary>
    public void ClearEnded() => EndedUnderneath = false;

    /// <summary>Records what a load found out about the session itself; <see langword="false"/> when it does not exist.</summary>
    public bool Observe(SessionLoadResult result)
    {
        if (!result.Exists)
        {
            // Seen alive by this scope and gone now, or renewed away a moment ago by a sign-in this request
            // is racing: either way its writes must not start a session that would compete with the new one.
            if (SeenInStore || result.RenewedAway)
            {
                EndedUnderneath = true;
                Log.SessionEndedUnderneath(logger, LogTag);
            }
            else if (ExistsInStore is null)
            {
                Log.SessionUnknown(logger, LogTag);
            }

            ExistsInStore = false;
            UserKey = null;
            return false;
        }

        ExistsInStore = true;
        SeenInStore = true;
        UserKey = result.UserKey;
        if (LastAccessed == DateTimeOffset.MaxValue)
        {
            LastAccessed = result.LastAccessed;
        }

        return true;
    }

    /// <summary>The store's "last used" time was refreshed by this scope.</summary>
    public void Touched(DateTimeOffset now) => LastAccessed = now;

    /// <summary>Called from the publisher's thread: the session ended or moved elsewhere.</summary>
    public void EndedElsewhere() => _endedElsewhere = true;

    /// <summary>Applies an "ended elsewhere" notice on the scope's own thread: the next load asks the store again.</summary>
    public void TakeEndedElsewhere()
    {
        if (_endedElsewhere)
        {
            _endedElsewhere = false;
            ExistsInStore = null;
        }
    }
}
