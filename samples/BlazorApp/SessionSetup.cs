using Microsoft.AspNetCore.DataProtection;

namespace BlazorApp;

/// <summary>
/// Where the sample keeps its sessions, read from configuration so that one build runs on every store:
/// <c>TypedSessions:Store</c> is <c>memory</c> (the default), <c>sqlite</c>, <c>redis</c> or <c>cookie</c>;
/// <c>ConnectionStrings:Sqlite</c> and <c>ConnectionStrings:Redis</c> say where; <c>TypedSessions:KeysPath</c>
/// is a folder for the Data Protection key ring, which every server of a farm (and a restarted one)
/// must share to read each other's cookies.
/// </summary>
public static partial class SessionSetup
{
    public static WebApplicationBuilder AddSampleSessions(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var sessions = builder.Services.AddTypedSessions(o =>
        {
            o.IdleTimeout = TimeSpan.FromMinutes(30);
            o.SessionCreationLimiter = SessionRateLimiting.PerClient(configuration); // new sessions per client and minute
        });
        // Simple_httpd's cleanup callback: every ended session (signed out, revoked, expired, evicted) is logged.
        sessions.OnSessionEnded(static (ended, _) =>
        {
            var logger = ended.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorApp.Sessions");
            SessionLog.Ended(logger, ended.Handle[..8], ended.UserKey ?? "(anonymous)", ended.Reason);
            return ValueTask.CompletedTask;
        });

        var store = configuration["TypedSessions:Store"] ?? "memory";
        switch (store.ToUpperInvariant())
        {
            case "MEMORY":
                sessions.UseMemoryStore();
                break;
            case "SQLITE":
                sessions.UseSqliteStore(o => o.ConnectionString = configuration.GetConnectionString("Sqlite") ?? "Data Source=sessions.db");
                break;
            case "REDIS":
                sessions.UseRedisStore(o => o.Configuration = configuration.GetConnectionString("Redis")
                    ?? throw new InvalidOperationException("TypedSessions:Store is redis: set ConnectionStrings:Redis, e.g. 127.0.0.1:6379."));
                break;
            case "COOKIE":
                // Everything in the browser, encrypted: nothing on the server at all.
                sessions.UseCookieStore();
                break;
            default:
                throw new InvalidOperationException($"TypedSessions:Store is '{store}'; use memory, sqlite, redis or cookie.");
        }

        builder.Services.AddSingleton(new SampleInfo(store.ToUpperInvariant() switch
        {
            "SQLITE" => "SQLite (a file on this server)",
            "REDIS" => "Redis (shared by every server)",
            "COOKIE" => "cookies (in the browser, encrypted)",
            _ => "memory (this process)",
        }));

        if (configuration["TypedSessions:KeysPath"] is { Length: > 0 } keysPath)
        {
            // One application name on every server: it is part of what the keys protect, and defaults
            // to the content root path, which differs between machines.
            builder.Services.AddDataProtection()
                .PersistKeysToFileSystem(new DirectoryInfo(keysPath))
                .SetApplicationName("TypedSessions.Sample");
        }

        return builder;
    }
}

internal static partial class SessionLog
{
    [LoggerMessage(1, LogLevel.Information, "Session {Handle} of {User} ended: {Reason}.")]
    public static partial void Ended(ILogger logger, string handle, string user, TypedSessions.SessionEndReason reason);
}
