using Microsoft.Extensions.Logging;
using TypedSessions.Hosting;

namespace TypedSessions.Core;

/// <summary>
/// Every call to a store goes through here, so that any store failure becomes one logged, typed error
/// (<see cref="SessionStoreUnavailableException"/>), wherever the call is made from.
/// </summary>
internal static class StoreCalls
{
    /// <summary>Calls the store; a failure is logged for <paramref name="session"/> (a log tag) and rethrown typed.</summary>
    public static async ValueTask<T> RunAsync<T>(ILogger logger, string operation, Func<ValueTask<T>> call, string session = "(none)")
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Log.StoreFailed(logger, operation, session, e);
            throw new SessionStoreUnavailableException($"The session store failed to {operation}: {e.Message}", e);
        }
    }

    // What a store throws for a misuse (ArgumentException; InvalidOperationException, such as a cookie
    // store write after the response started or past its budget; NotSupportedException, a user index
    // asked of the cookie store) is the caller's to see as it is; any other failure means the store could
    // not do its work.
    private static bool IsStoreFailure(Exception e) =>
        e is not (OperationCanceledException or SessionStoreUnavailableException or ArgumentException or InvalidOperationException or NotSupportedException);
}
