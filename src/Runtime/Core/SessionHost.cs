namespace TypedSessions.Core;

/// <summary>
/// What a scope's session needs from whatever runs the scope (a request, a circuit, a test): whether a new
/// cookie can still reach the browser, how it gets there, the device label, and whether a new session may
/// start now.
/// </summary>
/// <remarks>
/// One object rather than a delegate for each question. Each question gets the state the scope was
/// attached with (a request's <c>HttpContext</c>), so one host serves every request without allocating.
/// </remarks>
internal abstract class SessionHost
{
    /// <summary>A host whose cookie changes always go out with a response that has not started (tests).</summary>
    public static SessionHost Unbound { get; } = new UnboundHost();

    /// <summary>Whether a new cookie can still reach the browser.</summary>
    public abstract bool CanChangeCookie(object? state);

    /// <summary>
    /// Whether cookie changes are pushed to the browser as they happen (<see cref="PushCookieAsync"/>, a
    /// circuit) rather than written to the scope's own response.
    /// </summary>
    public virtual bool PushesCookies => false;

    /// <summary>The device label of the client, asked for at sign-in.</summary>
    public virtual string? Device(object? state) => null;

    /// <summary>Asked before a new session starts: <see langword="null"/> allows it; a value refuses it, with when to retry (zero when unknown).</summary>
    public virtual TimeSpan? RefuseNewSession(object? state) => null;

    /// <summary>Delivers the scope's pending cookie changes at once (hosts that push).</summary>
    public virtual Task PushCookieAsync(ActiveSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class UnboundHost : SessionHost
    {
        public override bool CanChangeCookie(object? state) => true;
    }
}
