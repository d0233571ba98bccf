using Microsoft.AspNetCore.Http;

namespace TypedSessions.Cookies;

/// <summary>
/// Every cookie change a scope owes its browser, in one place: the session cookie's (issue with an ID,
/// delete, or nothing) and the cookie store's slot cookies (kept by <see cref="SlotCookieJar"/>). It has
/// two ways out: a request's response (<see cref="WriteTo"/>, when the response starts) and a Blazor
/// circuit's ticket (<see cref="Take"/>, handed to the browser as soon as a change happens).
/// </summary>
internal sealed class CookieOutbox(SlotCookieJar slotCookies, SessionCookie sessionCookie)
{
    private SessionCookieChange _change;
    private byte[] _sessionId = [];

    /// <summary>The session cookie's pending change.</summary>
    public SessionCookieChange SessionChange => _change;

    /// <summary>Whether anything is waiting to reach the browser.</summary>
    public bool HasPending => _change != SessionCookieChange.None || slotCookies.HasPending;

    /// <summary>The browser must get the session cookie for <paramref name="sessionId"/>.</summary>
    public void IssueSessionCookie(byte[] sessionId)
    {
        _change = SessionCookieChange.Issue;
        _sessionId = sessionId;
    }

    /// <summary>The browser's session cookie must go; or, with <paramref name="browserHasOne"/> false, there is nothing to send.</summary>
    public void ForgetSessionCookie(bool browserHasOne)
    {
        _change = browserHasOne ? SessionCookieChange.Delete : SessionCookieChange.None;
        _sessionId = [];
    }

    /// <summary>Everything pending, which is then considered sent; <see cref="PutBack"/> if it could not be.</summary>
    public PendingCookies Take()
    {
        var pending = new PendingCookies(_change, _sessionId, slotCookies.TakePending());
        _change = SessionCookieChange.None;
        _sessionId = [];
        return pending;
    }

    /// <summary>Makes <paramref name="pending"/> pending again, unless newer changes replaced it meanwhile.</summary>
    public void PutBack(PendingCookies pending)
    {
        if (_change == SessionCookieChange.None)
        {
            _change = pending.SessionChange;
            _sessionId = pending.SessionId;
        }

        slotCookies.Resend(pending.SlotCookies);
    }

    /// <summary>The response's way out: writes everything pending to <paramref name="context"/>'s response.</summary>
    public void WriteTo(HttpContext context)
    {
        var pending = Take();
        if (pending.SlotCookies.Count > 0)
        {
            slotCookies.Apply(context, pending.SlotCookies);
        }

        sessionCookie.Apply(context, pending.SessionChange, pending.SessionId);
    }
}

/// <summary>What a scope owes its browser at one moment.</summary>
/// <param name="SessionChange">The session cookie's change.</param>
/// <param name="SessionId">The session ID to issue (Issue only; empty otherwise).</param>
/// <param name="SlotCookies">The slot cookies to write or delete.</param>
internal readonly record struct PendingCookies(SessionCookieChange SessionChange, byte[] SessionId, IReadOnlyList<SlotCookieWrite> SlotCookies);
