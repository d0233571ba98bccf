using Microsoft.Extensions.Diagnostics.HealthChecks;
using TypedSessions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The TypedSessions health check.</summary>
public static class TypedSessionsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks every session store the app configured: <c>builder.Services.AddHealthChecks().AddTypedSessions()</c>,
    /// then <c>app.MapHealthChecks("/health")</c>. A server store that fails or does not answer within two
    /// seconds makes the check <paramref name="failureStatus"/> (default: Unhealthy).
    /// </summary>
    public static IHealthChecksBuilder AddTypedSessions(
        this IHealthChecksBuilder builder,
        string name = "typedsessions",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => new TypedSessionsHealthCheck(sp.GetRequiredService<IServiceScopeFactory>()),
            failureStatus,
            tags,
            timeout));
    }
}
