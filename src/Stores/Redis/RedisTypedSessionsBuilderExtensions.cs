using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
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
    /// Keeps sessions in Redis through the application's own <paramref name="connection"/> (not
    /// disposed by the store); <see cref="RedisSessionStoreOptions.Configuration"/> is then ignored.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStore(this TypedSessionsBuilder builder, IConnectionMultiplexer connection, Action<RedisSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return builder.UseRedisStore(_ => connection, configure);
    }

    /// <summary>
    /// Keeps sessions in Redis through a connection the application registered, for example
    /// <c>UseRedisStore(sp =&gt; sp.GetRequiredService&lt;IConnectionMultiplexer&gt;())</c>; called once,
    /// on first use, and not disposed by the store.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStore(this TypedSessionsBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, Action<RedisSessionStoreOptions>? configure = null) =>
        Register(builder, connection, configure).UseStore(static sp => sp.GetRequiredService<RedisSessionStore>());

    /// <summary>
    /// Keeps <typeparamref name="TState"/> in Redis, whatever the default store is; change notices of
    /// every state then travel between servers over Redis pub/sub.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStoreFor<TState>(this TypedSessionsBuilder builder, Action<RedisSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState> =>
        Register(builder, configure).UseStoreFor<TState>(static sp => sp.GetRequiredService<RedisSessionStore>());

    /// <summary>
    /// Keeps <typeparamref name="TState"/> in Redis through the application's own
    /// <paramref name="connection"/> (not disposed by the store), whatever the default store is.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStoreFor<TState>(this TypedSessionsBuilder builder, IConnectionMultiplexer connection, Action<RedisSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState>
    {
        ArgumentNullException.ThrowIfNull(connection);
        return builder.UseRedisStoreFor<TState>(_ => connection, configure);
    }

    /// <summary>
    /// Keeps <typeparamref name="TState"/> in Redis through a connection the application registered,
    /// whatever the default store is.
    /// </summary>
    public static TypedSessionsBuilder UseRedisStoreFor<TState>(this TypedSessionsBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, Action<RedisSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState> =>
        Register(builder, connection, configure).UseStoreFor<TState>(static sp => sp.GetRequiredService<RedisSessionStore>());

    // The application's connection goes in through the options, as ASP.NET Core's Redis cache takes it,
    // so that the configure callback sees (and may replace) it.
    private static TypedSessionsBuilder Register(TypedSessionsBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, Action<RedisSessionStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        builder.Services.AddOptions<RedisSessionStoreOptions>()
            .Configure<IServiceProvider>((o, sp) => o.ConnectionMultiplexerFactory = () => Task.FromResult(connection(sp)));
        return Register(builder, configure);
    }

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
            sp.GetRequiredService<RedisConnector>(),
            sp.GetRequiredService<IOptions<TypedSessionsOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ISessionEndedSink>(),
            sp.GetRequiredService<ILogger<RedisSessionStore>>()));
        services.TryAddSingleton(static sp => new RedisSessionChangeFeed(
            sp.GetRequiredService<RedisConnector>(), sp.GetRequiredService<ILogger<RedisSessionChangeFeed>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionChangeFeed>(static sp => sp.GetRequiredService<RedisSessionChangeFeed>()));
        return builder;
    }
}
