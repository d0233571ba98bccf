using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using TypedSessions.Core;
using TypedSessions.Users;

namespace TypedSessions.Hosting;

/// <summary>
/// Requests as the hosts of their scopes' sessions (one for the app; each request is the state it is asked
/// with): cookie changes go out with the request's response.
/// </summary>
internal sealed class RequestSessionHost(PartitionedRateLimiter<HttpContext>? creationLimiter) : SessionHost
{
    public override bool CanChangeCookie(object? state) => !((HttpContext)state!).Response.HasStarted;

    public override string? Device(object? state) => DeviceLabel.From(((HttpContext)state!).Request.Headers.UserAgent);

    public override TimeSpan? RefuseNewSession(object? state)
    {
        var context = (HttpContext)state!;
        if (creationLimiter is null)
        {
            return null;
        }

        using var lease = creationLimiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.Zero;
    }
}
