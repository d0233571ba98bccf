using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Redis;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// Builds the Redis store and feed the way an application does (AddTypedSessions().UseRedisStore()),
/// one provider per simulated server.
/// </summary>
internal static class RedisStores
{
    public static ServiceProvider CreateServer(string configuration, string prefix, TimeProvider clock, TimeSpan? timeout = null, ISessionEndedSink? ended = null) =>
        WithSink(new ServiceCollection(), ended)
            .AddLogging()
            .AddSingleton(clock)
            .AddTypedSessions(o =>
            {
                o.IdleTimeout = StoreConformanceTests.IdleTimeout;
                o.AbsoluteLifetime = StoreConformanceTests.AbsoluteLifetime;
            })
            .UseRedisStore(o =>
            {
                o.Configuration = configuration;
                o.KeyPrefix = prefix;
                o.OperationTimeout = timeout ?? TimeSpan.FromSeconds(5);
            })
            .Services.BuildServiceProvider();

    // A sink registered before AddTypedSessions replaces the runtime's hooks (registered with TryAdd).
    private static IServiceCollection WithSink(IServiceCollection services, ISessionEndedSink? ended) =>
        ended is null ? services : services.AddSingleton(ended);

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";
}
