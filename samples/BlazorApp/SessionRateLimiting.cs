using System.Threading.RateLimiting;

namespace BlazorApp;

/// <summary>
/// Limits how fast one client can create sessions, with ASP.NET Core's own rate limiter. Every new
/// session costs the store memory until it expires; without a limit, one client could fill a bounded
/// store with sessions that are used once. (The memory store evicts such one-shot sessions before any
/// session that signed in or came back, so a flood cannot log anyone out; the limit keeps it from
/// crowding out other newcomers.)
/// </summary>
public static class SessionRateLimiting
{
    /// <summary>
    /// A request that can create a session: it may write (not GET or HEAD) and carries no session cookie.
    /// Such requests are limited per client address to <c>RateLimiting:NewSessionsPerMinute</c> (default 120)
    /// a minute; the rest answer 429. Requests of existing sessions are never limited here.
    /// </summary>
    public static IServiceCollection AddSessionCreationRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("RateLimiting:NewSessionsPerMinute", 120);
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                CanCreateSession(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter(""));
        });
    }

    private static bool CanCreateSession(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
        && !request.Cookies.ContainsKey("TypedSessions") && !request.Cookies.ContainsKey("__Host-TypedSessions");
}
