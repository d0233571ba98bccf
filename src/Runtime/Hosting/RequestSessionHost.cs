using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using TypedSessions.Core;
using TypedSessions.Users;

namespace TypedSessions.Hosting;

/// <summary>A request as the host of its scope's session: cookie changes go out with its response.</summary>
internal sealed class RequestSessionHost(HttpContext context, PartitionedRateLimiter<HttpContext>? creationLimiter) : SessionHost
{
    public override bool CanChangeCookie => !context.Response.HasStarted;

    public override string? Device => DeviceLabel.From(context.Request.Headers.UserAgent);

    public override TimeSpan? RefuseNewSession()
    {
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
