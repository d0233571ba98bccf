using System.Threading.RateLimiting;

namespace BlazorApp;

/// <summary>
/// Limits how fast one client can create sessions, with ASP.NET Core's rate limiting primitives. Every
/// new session costs the store memory until it expires; without a limit, one client could fill a
/// bounded store with sessions that are used once. (The memory store evicts such one-shot sessions
/// before any session that signed in or came back, so a flood cannot log anyone out; the limit keeps
/// it from crowding out other newcomers.)
/// </summary>
public static class SessionRateLimiting
{
    /// <summary>
    /// At most <c>RateLimiting:NewSessionsPerMinute</c> (default 120) new sessions a minute per client
    /// address; past that, the write that would start one is answered 429. Only new sessions count, so an
    /// old or forged cookie does not get around it, and requests of existing sessions are never limited.
    /// </summary>
    public static PartitionedRateLimiter<HttpContext> PerClient(IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("RateLimiting:NewSessionsPerMinute", 120);
        return PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }));
    }
}
