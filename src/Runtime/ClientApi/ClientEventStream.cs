using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TypedSessions.Core;
using TypedSessions.Http;
using TypedSessions.Serialization;
using TypedSessions.Stores;

namespace TypedSessions.ClientApi;

/// <summary>
/// <c>GET events</c>: a server-sent event stream of the session's client-readable states, so a
/// WebAssembly component updates live when a page post, a circuit or another server changes one.
/// </summary>
/// <remarks>
/// <para>Events (each carries what the client needs, so it never has to fetch after a notice):</para>
/// <list type="bullet">
/// <item><c>state</c>: <c>version.bytes key</c> — the slot's current version and bytes, sent for every
/// readable state when the stream opens and again whenever one changes.</item>
/// <item><c>changed</c>: <c>version key</c> — a state too large to send inline changed; the client reads it.</item>
/// <item><c>session</c>: the session itself changed (renewed, signed in or out, ended elsewhere); the stream
/// ends, and the client reconnects with the cookie it holds now.</item>
/// <item><c>idle</c>: the request has no stored session to follow; the stream ends and the client tries again
/// after the <c>retry</c> delay, so a session started elsewhere (a form post in another tab) is picked up.</item>
/// </list>
/// A comment line every 15 seconds keeps proxies from closing a quiet stream.
/// <para>
/// Bounded so that one client cannot hold the server: a session may keep a few streams
/// (<see cref="TypedSessionsOptions.MaxClientEventStreamsPerSession"/>, 429 beyond), the server a number
/// in all (<see cref="TypedSessionsOptions.MaxClientEventStreams"/>, 503 beyond); a stream whose reader
/// does not take what is written within <see cref="StuckWrite"/> is closed; a state larger than
/// <see cref="InlineLimit"/> is announced (<c>changed</c>: <c>version key</c>) rather than sent, so a large
/// write is not copied to every stream; and a stream ends after the idle timeout (at most 30 minutes), so
/// that the session is checked again when the client reconnects.
/// </para>
/// </remarks>
internal static class ClientEventStream
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StuckWrite = TimeSpan.FromSeconds(10);
    private const int InlineLimit = 4096;
    private static readonly ConcurrentDictionary<SessionStoreId, int> s_perSession = new();
    private static int s_open;

    public static async Task RunAsync(HttpContext context)
    {
        if (!await ClientApiGuard.AdmitAsync(context, write: false).ConfigureAwait(false))
        {
            return;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<TypedSessionsOptions>>().Value;
        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        if (!await session.ExistsAsync(context.RequestAborted).ConfigureAwait(false))
        {
            await IdleAsync(context).ConfigureAwait(false);
            return;
        }

        var id = session.StoreId;
        if (s_perSession.AddOrUpdate(id, 1, static (_, n) => n + 1) > options.MaxClientEventStreamsPerSession)
        {
            Release(id);
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many change streams",
                "This session already has as many change streams as it may.", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref s_open) > options.MaxClientEventStreams)
        {
            Interlocked.Decrement(ref s_open);
            Release(id);
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Too many change streams",
                "The server follows as many sessions as it may; the client retries.", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return;
        }

        // A stream ends after the idle timeout (at most 30 minutes): the client reconnects, and the session is checked again.
        var lifetime = options.IdleTimeout < TimeSpan.FromMinutes(30) ? options.IdleTimeout : TimeSpan.FromMinutes(30);
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        ends.CancelAfter(lifetime);
        try
        {
            await StreamAsync(context, session, ends.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException
            && (ends.IsCancellationRequested || context.RequestAborted.IsCancellationRequested))
        {
            // The tab went away, the stream lived its time, or its reader stopped reading.
        }
        finally
        {
            Interlocked.Decrement(ref s_open);
            Release(id);
        }
    }

    private static void Release(SessionStoreId id)
    {
        if (s_perSession.AddOrUpdate(id, 0, static (_, n) => n - 1) <= 0)
        {
            s_perSession.TryRemove(new KeyValuePair<SessionStoreId, int>(id, 0));
        }
    }

    private static void StartStream(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = SessionClientProtocol.EventStreamMediaType;
        ClientStateEndpoints.NoStore(response);
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    // No stored session to follow: the client tries again after the retry delay.
    private static Task IdleAsync(HttpContext context)
    {
        StartStream(context);
        return WriteAsync(context.Response, "retry: 1000\nevent: idle\ndata: \n\n", context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, ActiveSession session, CancellationToken aborted)
    {
        var response = context.Response;
        StartStream(context);

        // Watch first, then send what is stored: a change in between is sent twice, never lost.
        var changes = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
        var watches = new List<IDisposable>();
        try
        {
            watches.Add(session.Watch(null, () => Post(changes, null)));
            var keys = ClientStates.Readable.Select(static s => s.Key).ToArray();
            foreach (var key in keys)
            {
                watches.Add(session.Watch(key, () => Post(changes, key)));
            }

            await WriteAsync(response, "retry: 1000\n", aborted).ConfigureAwait(false);
            foreach (var key in keys)
            {
                await WriteStateAsync(session, response, key, aborted).ConfigureAwait(false);
            }

            using var heartbeat = new PeriodicTimer(Heartbeat);
            var tick = heartbeat.WaitForNextTickAsync(aborted).AsTask();
            while (true)
            {
                var next = changes.Reader.WaitToReadAsync(aborted).AsTask();
                if (await Task.WhenAny(next, tick).ConfigureAwait(false) == tick)
                {
                    await tick.ConfigureAwait(false);
                    await WriteAsync(response, ": keep-alive\n\n", aborted).ConfigureAwait(false);
                    tick = heartbeat.WaitForNextTickAsync(aborted).AsTask();
                    continue;
                }

                if (!await next.ConfigureAwait(false))
                {
                    return;
                }

                while (changes.Reader.TryRead(out var key))
                {
                    if (key is null || !await session.ExistsAsync(aborted).ConfigureAwait(false))
                    {
                        await WriteAsync(response, "event: session\ndata: changed\n\n", aborted).ConfigureAwait(false);
                        return;
                    }

                    await WriteStateAsync(session, response, key, aborted).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var watch in watches)
            {
                watch.Dispose();
            }
        }
    }

    // Called on the publisher's thread: only a hand-off to the stream's loop.
    private static Task Post(Channel<string?> changes, string? key)
    {
        changes.Writer.TryWrite(key);
        return Task.CompletedTask;
    }

    private static async Task WriteStateAsync(ActiveSession session, HttpResponse response, string key, CancellationToken aborted)
    {
        var slot = await session.GetSlotAsync(key, aborted).ConfigureAwait(false);
        if (slot.Data is { Length: > InlineLimit })
        {
            // Large: announced, not copied to every stream; the client reads it when it needs it.
            await WriteAsync(response, $"event: changed\ndata: {slot.Version.ToString(CultureInfo.InvariantCulture)} {key}\n\n", aborted).ConfigureAwait(false);
            return;
        }

        var encoded = SessionClientProtocol.EncodeSlot(slot.Version, slot.Data is { } data ? data.Span : default);
        await WriteAsync(response, $"event: state\ndata: {encoded} {key}\n\n", aborted).ConfigureAwait(false);
    }

    // A reader that does not take what is written within StuckWrite loses the stream (and frees what it held).
    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken aborted)
    {
        using var stuck = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        stuck.CancelAfter(StuckWrite);
        try
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), stuck.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stuck.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stuck.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            response.HttpContext.Abort();
            throw new OperationCanceledException("The change stream's reader stopped reading.", aborted);
        }
    }
}
