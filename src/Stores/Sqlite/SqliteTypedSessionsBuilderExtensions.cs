using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions;
using TypedSessions.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite store.</summary>
public static class SqliteTypedSessionsBuilderExtensions
{
    /// <summary>
    /// Keeps sessions in a SQLite database (<see cref="SqliteSessionStoreOptions.ConnectionString"/>),
    /// created on first use: sessions survive restarts of this server.
    /// </summary>
    public static TypedSessionsBuilder UseSqliteStore(this TypedSessionsBuilder builder, Action<SqliteSessionStoreOptions>? configure = null) =>
        Register(builder, configure).UseStore(static sp => sp.GetRequiredService<SqliteSessionStore>());

    /// <summary>Keeps <typeparamref name="TState"/> in the SQLite database, whatever the default store is.</summary>
    public static TypedSessionsBuilder UseSqliteStoreFor<TState>(this TypedSessionsBuilder builder, Action<SqliteSessionStoreOptions>? configure = null)
        where TState : ISessionState<TState> =>
        Register(builder, configure).UseStoreFor<TState>(static sp => sp.GetRequiredService<SqliteSessionStore>());

    private static TypedSessionsBuilder Register(TypedSessionsBuilder builder, Action<SqliteSessionStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.TryAddSingleton<SqliteSessionStore>();
        return builder;
    }
}
