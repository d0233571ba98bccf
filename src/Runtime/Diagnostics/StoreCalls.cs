using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TypedSessions.Stores;

namespace TypedSessions.Diagnostics;

/// <summary>
/// Every call to a store goes through here: timed (<c>typedsessions.store.operation.duration</c>), traced
/// (a <c>TypedSessions</c> span), and any store failure turned into one logged, typed error
/// (<see cref="SessionStoreUnavailableException"/>), wherever the call is made from.
/// </summary>
internal static class StoreCalls
{
    /// <summary>Calls <paramref name="store"/>; a failure is logged for <paramref name="session"/> (a log tag) and rethrown typed.</summary>
    public static ValueTask<T> RunAsync<T>(
        ISessionStore store, SessionMetrics metrics, ILogger logger, string operation, Func<ISessionStore, ValueTask<T>> call, string session = "(none)") =>
        RunAsync(store, metrics, logger, operation, call, static (s, c) => c(s), session);

    /// <summary>As <see cref="RunAsync{T}(ISessionStore, SessionMetrics, ILogger, string, Func{ISessionStore, ValueTask{T}}, string)"/>, with the call's arguments passed as state (a static lambda: nothing allocated on hot paths).</summary>
    public static ValueTask<T> RunAsync<TState, T>(
        ISessionStore store, SessionMetrics metrics, ILogger logger, string operation, TState state, Func<ISessionStore, TState, ValueTask<T>> call, string session = "(none)")
    {
        if (metrics.StoreOperationsMeasured || SessionMetrics.Source.HasListeners())
        {
            return RunMeasuredAsync(store, metrics, logger, operation, state, call, session);
        }

        // Nobody measures or traces store calls: no clock, no tags, and a call that completed at once (an
        // in-process store's) is handed back as it is. Failures are turned typed all the same.
        ValueTask<T> pending;
        try
        {
            pending = call(store, state);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failed(logger, operation, session, e);
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, logger, operation, session);
    }

    private static async ValueTask<T> AwaitAsync<T>(ValueTask<T> pending, ILogger logger, string operation, string session)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            throw Failed(logger, operation, session, e);
        }
    }

    private static async ValueTask<T> RunMeasuredAsync<TState, T>(
        ISessionStore store, SessionMetrics metrics, ILogger logger, string operation, TState state, Func<ISessionStore, TState, ValueTask<T>> call, string session)
    {
        var storeName = SessionMetrics.StoreName(store);
        using var activity = SessionMetrics.Source.StartActivity("TypedSessions " + operation, ActivityKind.Client);
        activity?.SetTag("typedsessions.store", storeName);
        activity?.SetTag("typedsessions.operation", operation);
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        try
        {
            return await call(store, state).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            errorType = e.GetType().FullName;
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw Failed(logger, operation, session, e);
        }
        catch (Exception e)
        {
            errorType = e.GetType().FullName;
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            metrics.StoreOperation(storeName, operation, Stopwatch.GetElapsedTime(started), errorType);
        }
    }

    private static SessionStoreUnavailableException Failed(ILogger logger, string operation, string session, Exception e)
    {
        Log.StoreFailed(logger, operation, session, e);
        return new SessionStoreUnavailableException($"The session store failed to {operation}: {e.Message}", e);
    }

    // What a store throws for a misuse (ArgumentException; InvalidOperationException, such as a cookie
    // store write after the response started or past its budget; NotSupportedException, a user index
    // asked of the cookie store) is the caller's to see as it is; any other failure means the store could
    // not do its work.
    private static bool IsStoreFailure(Exception e) =>
        e is not (OperationCanceledException or SessionStoreUnavailableException or ArgumentException or InvalidOperationException or NotSupportedException);
}
