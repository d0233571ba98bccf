using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TypedSessions.Stores;
using TypedSessions.Stores.Cookie;
using TypedSessions.Diagnostics;

namespace TypedSessions.Hosting;

/// <summary>
/// Reports each configured session store: a server store (memory, SQLite, Redis, your own) is asked for
/// a session that does not exist, which takes one round trip and writes nothing; the cookie store has
/// nothing on the server to check. Unhealthy (or the registration's failure status) when any server
/// store fails or does not answer within <see cref="ProbeTimeout"/>; the data names each store's state.
/// </summary>
internal sealed class TypedSessionsHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var configured = scope.ServiceProvider.GetRequiredService<ISessionStore>();
        var stores = configured is RoutedSessionStore routed ? routed.Stores : [configured];
        var probe = SessionStoreId.FromSessionId(RandomNumberGenerator.GetBytes(SessionStoreId.SessionIdSize));
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failed = new List<string>();
        foreach (var store in stores)
        {
            var name = SessionMetrics.StoreName(store);
            if (store is CookieSessionStore)
            {
                data[name] = "kept in the browser";
                continue;
            }

            try
            {
                await store.LoadAsync(probe, [], cancellationToken).AsTask().WaitAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false);
                data[name] = "ok";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                data[name] = e is TimeoutException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : e.Message;
                failed.Add(name);
            }
        }

        return failed.Count == 0
            ? HealthCheckResult.Healthy("Every session store answers.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"Session store unavailable: {string.Join(", ", failed)}.", data: data);
    }
}
