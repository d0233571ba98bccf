using Microsoft.AspNetCore.Http;

namespace TypedSessions;

/// <summary>Options for TypedSessions, set through <c>services.AddTypedSessions(o => ...)</c>.</summary>
public sealed class TypedSessionsOptions
{
    /// <summary>
    /// A session not used for this long expires, enforced on the server. Default: 20 minutes
    /// (ASP.NET Core's session default).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// A session expires this long after it was created, however active it is; renewing keeps the
    /// creation time. Default: 12 hours.
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The session cookie.</summary>
    public TypedSessionsCookieOptions Cookie { get; } = new();

    /// <summary>How many times <see cref="ISession{T}.UpdateAsync"/> tries before it gives up. Default: 100.</summary>
    public int MaxUpdateAttempts { get; set; } = 100;

    /// <summary>The status code answered when the store is unavailable. Default: 503.</summary>
    public int StoreUnavailableStatusCode { get; set; } = StatusCodes.Status503ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> sent with <see cref="StoreUnavailableStatusCode"/>. Default: 5 seconds.</summary>
    public TimeSpan StoreUnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The status code answered when a write cannot be carried out because of others: the slot changed
    /// under every one of <see cref="MaxUpdateAttempts"/> attempts (writers on other servers), or the
    /// session ended while the request was using it (<see cref="SessionEndedException"/>). Default: 409.
    /// </summary>
    public int ConflictStatusCode { get; set; } = StatusCodes.Status409Conflict;

    /// <summary>
    /// Limits how fast requests may start new sessions, with ASP.NET Core's rate limiting primitives
    /// (e.g. <c>PartitionedRateLimiter.Create</c> with a fixed window per client address). One permit is
    /// asked for each session a request starts (its first write, or the up-front cookie of a streamed
    /// page); a refusal throws <see cref="SessionRateLimitedException"/>, answered 429. Only new sessions
    /// are counted, so it cannot be bypassed with an old or forged cookie, and requests of existing
    /// sessions are never limited. Circuits are not limited (a circuit already costs its client a
    /// connection). Default: none.
    /// </summary>
    public System.Threading.RateLimiting.PartitionedRateLimiter<HttpContext>? SessionCreationLimiter { get; set; }

    /// <summary>
    /// How stale the store's "last used" time may get before a read refreshes it. Reads do not write
    /// to the store on every request; the idle timeout is therefore precise to within this interval.
    /// Default: a tenth of <see cref="IdleTimeout"/>.
    /// </summary>
    public TimeSpan? IdleRefreshInterval { get; set; }

    /// <summary>
    /// The endpoint, handled by the middleware, where a Blazor circuit's browser collects a new session
    /// cookie after the circuit started a session, renewed it or invalidated it. Default:
    /// <c>/_typedsessions/cookie</c>.
    /// </summary>
    public PathString CookieEndpointPath { get; set; } = "/_typedsessions/cookie";

    /// <summary>
    /// The largest state a WebAssembly client may write through the client API
    /// (<c>MapTypedSessionsClientApi</c>), in bytes; a larger body is answered 413. Default: 64 KiB.
    /// </summary>
    public int MaxClientStateBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How many client API change streams (one per open WebAssembly tab) this server keeps open at once;
    /// more are answered 503 and the client retries. Default: 10,000.
    /// </summary>
    public int MaxClientEventStreams { get; set; } = 10_000;

    /// <summary>
    /// How many client API change streams one session may keep open at once (its open tabs that watch);
    /// more are answered 429 and the client retries. Default: 8.
    /// </summary>
    public int MaxClientEventStreamsPerSession { get; set; } = 8;

    internal TimeSpan EffectiveIdleRefreshInterval => IdleRefreshInterval ?? IdleTimeout / 10;

    /// <summary>The hooks run when a session ends (<c>AddTypedSessions().OnSessionEnded(...)</c>).</summary>
    internal List<Func<SessionEndedContext, CancellationToken, ValueTask>> SessionEndedHooks { get; } = [];
}
