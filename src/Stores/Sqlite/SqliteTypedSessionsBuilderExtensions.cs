using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedSessions.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite store.</summary>
public static class SqliteTypedSessionsBuilderExtensions
{
    /// <summary>
    /// Keeps sessions in a SQLite database (<see cref="SqliteSessionStoreOptions.ConnectionString"/>),
    /// created on first use: sessions survive restarts of this server.
    /// </summary>
    public static TypedSessionsBuilder UseSqliteStore(this TypedSessionsBuilder builder, Action<SqliteSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.TryAddSingleton<SqliteSessionStore>();
        return builder.UseStore(static sp => sp.GetRequiredService<SqliteSessionStore>());
    }
}
