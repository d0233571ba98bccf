using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions;
using TypedSessions.Redis;
using TypedSessions.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the Redis store.</summary>
public static class RedisTypedSessionsBuilderExtensions
{
    /// <summary>
    /// Keeps sessions in Redis (<see cref="RedisSessionStoreOptions.Configuration"/>), shared by every
    /// server that uses the same Redis and the same Data Protection key ring; change notices for live
    /// Blazor views travel between servers over Redis pub/sub.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStore(this TypedSessionsBuilder builder, Action<RedisSessionStoreOptions>? configure = null) =>
        Register(builder, configure).UseStore(static sp => sp.GetRequiredService<RedisSessionStore>());

    /// <summary>
    /// Keeps <typeparamref name="TState"/> in Redis, whatever the default store is; change notices of
    /// every state then travel between servers over Redis pub/sub.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStoreFor<TState>(this TypedSessionsBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState> =>
        Register(builder, configure).UseStoreFor<TState>(static sp => sp.GetRequiredService<RedisSessionStore>());

    private static TypedSessionsBuilder Register(TypedSessionsBuilder builder, Action<RedisSessionStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(static sp => new RedisConnector(sp.GetRequiredService<IOptions<RedisSessionStoreOptions>>()));
        services.TryAddSingleton(static sp => new RedisSessionStore(
            sp.GetRequiredService<RedisConnector>(), sp.GetRequiredService<IOptions<TypedSessionsOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new RedisSessionChangeFeed(
            sp.GetRequiredService<RedisConnector>(), sp.GetRequiredService<ILogger<RedisSessionChangeFeed>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionChangeFeed>(static sp => sp.GetRequiredService<RedisSessionChangeFeed>()));
        return builder;
    }
}
