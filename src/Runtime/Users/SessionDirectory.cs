using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSessions.Stores;
using TypedSessions.Diagnostics;
using TypedSessions.Cookies;

namespace TypedSessions.Users;

/// <summary>
/// <see cref="ISessionDirectory"/> over the configured server store: lists from its user index, and ends
/// sessions by destroying them, telling their open views through the change feed and running the
/// session-ended hooks (<see cref="SessionEndReason.Revoked"/>).
/// </summary>
internal sealed class SessionDirectory(IServiceScopeFactory scopes, ISessionChangeFeed feed, SessionEndedHooks hooks, SessionMetrics metrics, ILogger<SessionDirectory> logger) : ISessionDirectory
{
    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ISessionStore>();
        var sessions = await StoreCalls.RunAsync(store, metrics, logger, "list_user_sessions", s => SessionUsers.Of(s).GetUserSessionsAsync(userKey, cancellationToken)).ConfigureAwait(false);
        return [.. sessions
            .OrderByDescending(static s => s.LastAccessed)
            .Select(static s => new SessionInfo(s.Session.ToString(), s.UserKey, s.CreatedAt, s.LastAccessed, s.Device))];
    }

    public async Task<bool> InvalidateAsync(string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!SessionHandle.TryParse(handle, out var session))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ISessionStore>();
        var found = await StoreCalls.RunAsync(store, metrics, logger, "load", s => s.LoadAsync(session, [], cancellationToken)).ConfigureAwait(false);
        if (!found.Exists)
        {
            return false;
        }

        await EndAsync(store, session, found.UserKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<int> InvalidateUserAsync(string userKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ISessionStore>();
        return await EndUserSessionsAsync(store, userKey, except: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every session of <paramref name="userKey"/> but <paramref name="except"/>; returns how many.</summary>
    public async Task<int> EndUserSessionsAsync(ISessionStore store, string userKey, SessionStoreId? except, CancellationToken cancellationToken)
    {
        var sessions = await StoreCalls.RunAsync(store, metrics, logger, "list_user_sessions", s => SessionUsers.Of(s).GetUserSessionsAsync(userKey, cancellationToken)).ConfigureAwait(false);
        var ended = 0;
        foreach (var session in sessions)
        {
            if (session.Session != except)
            {
                await EndAsync(store, session.Session, userKey, cancellationToken).ConfigureAwait(false);
                ended++;
            }
        }

        return ended;
    }

    private async Task EndAsync(ISessionStore store, SessionStoreId session, string? userKey, CancellationToken cancellationToken)
    {
        await StoreCalls.RunAsync(store, metrics, logger, "destroy", async s =>
        {
            await s.DestroyAsync(session, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        Log.SessionRevoked(logger, session.ToLogTag());

        // Open views of the session (circuits, on any server) learn at once that it ended.
        feed.Publish(new SessionChange(session, null, StoredSlot.Absent));
        await hooks.EndedAsync(session, userKey, SessionEndReason.Revoked, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A session's handle: the base64url of its store ID, which names it but can never be turned back into its ID.</summary>
internal static class SessionHandle
{
    public static bool TryParse(string handle, out SessionStoreId session)
    {
        session = default;
        if (!ClientText.TryDecodeBase64Url(handle, 43, out var bytes) || bytes.Length != SessionStoreId.SessionIdSize)
        {
            return false;
        }

        session = SessionStoreId.FromHash(bytes);
        return true;
    }
}
