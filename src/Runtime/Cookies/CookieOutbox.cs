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
    private HttpContext? _response;
    private bool _flushRegistered;

    /// <summary>The session cookie's pending change.</summary>
    public SessionCookieChange SessionChange => _change;

    /// <summary>Whether anything is waiting to reach the browser.</summary>
    public bool HasPending => _change != SessionCookieChange.None || slotCookies.HasPending;

    /// <summary>The browser must get the session cookie for <paramref name="sessionId"/>.</summary>
    public void IssueSessionCookie(byte[] sessionId)
    {
        _change = SessionCookieChange.Issue;
        _sessionId = sessionId;
        FlushWhenResponseStarts();
    }

    /// <summary>The browser's session cookie must go; or, with <paramref name="browserHasOne"/> false, there is nothing to send.</summary>
    public void ForgetSessionCookie(bool browserHasOne)
    {
        _change = browserHasOne ? SessionCookieChange.Delete : SessionCookieChange.None;
        _sessionId = [];
        FlushWhenResponseStarts();
    }

    /// <summary>
    /// The request's way out: what is pending when <paramref name="context"/>'s response starts is written
    /// to it. The response hook is registered only once there is something to write (a session cookie
    /// change), or at once when the cookie store may write slot cookies: a plain read costs nothing here.
    /// </summary>
    public void WriteOnResponseStart(HttpContext context)
    {
        _response = context;
        if (slotCookies.MayWrite || HasPending)
        {
            FlushWhenResponseStarts();
        }
    }

    private void FlushWhenResponseStarts()
    {
        if (_response is not { } context || _flushRegistered || context.Response.HasStarted)
        {
            return;
        }

        _flushRegistered = true;
        context.Response.OnStarting(static state =>
        {
            var outbox = (CookieOutbox)state;
            outbox.WriteTo(outbox._response!);
            return Task.CompletedTask;
        }, this);
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
