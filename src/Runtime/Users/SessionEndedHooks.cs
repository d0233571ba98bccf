using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedSessions.Stores;
using TypedSessions.Diagnostics;

namespace TypedSessions.Users;

/// <summary>
/// Runs the application's session-ended hooks (<see cref="TypedSessionsBuilder.OnSessionEnded"/>), each
/// in a service scope of its own. A failing hook is logged and never reaches the request or the store
/// that ended the session.
/// </summary>
/// <remarks>
/// Sessions the runtime ends (invalidate, revoke) run the hooks before the call that ended them
/// returns. Sessions a store ends on its own (expiry, eviction) are reported through
/// <see cref="ISessionEndedSink"/> and run in the background, so the store's sweep never waits for them.
/// </remarks>
internal sealed class SessionEndedHooks(IOptions<TypedSessionsOptions> options, IServiceScopeFactory scopes, SessionMetrics metrics, ILogger<SessionEndedHooks> logger) : ISessionEndedSink
{
    private readonly List<Func<SessionEndedContext, CancellationToken, ValueTask>> _hooks = options.Value.SessionEndedHooks;

    public bool Any => _hooks.Count > 0;

    /// <summary>Counts a session the runtime ended and runs the hooks for it before returning.</summary>
    public Task EndedAsync(SessionStoreId session, string? userKey, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        metrics.SessionEnded(reason);
        return Any ? RunAsync(session, userKey, reason, cancellationToken) : Task.CompletedTask;
    }

    private async Task RunAsync(SessionStoreId session, string? userKey, SessionEndReason reason, CancellationToken cancellationToken = default)
    {
        foreach (var hook in _hooks)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await hook(new SessionEndedContext(session.ToString(), userKey, reason, scope.ServiceProvider), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.SessionEndedHookFailed(logger, reason, session.ToLogTag(), e);
            }
        }
    }

    public void SessionEnded(SessionStoreId session, string? userKey, SessionEndReason reason)
    {
        metrics.SessionEnded(reason);
        if (Any)
        {
            _ = Task.Run(() => RunAsync(session, userKey, reason));
        }
    }
}
