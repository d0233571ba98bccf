using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TypedSessions.Core;
using TypedSessions.Http;
using TypedSessions.Serialization;

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
/// <item><c>session</c>: the session itself changed (renewed, signed in or out, ended elsewhere); the stream
/// ends, and the client reconnects with the cookie it holds now.</item>
/// <item><c>idle</c>: the request has no stored session to follow; the stream ends and the client tries again
/// after the <c>retry</c> delay, so a session started elsewhere (a form post in another tab) is picked up.</item>
/// </list>
/// A comment line every 15 seconds keeps proxies from closing a quiet stream.
/// </remarks>
internal static class ClientEventStream
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static int s_open;

    public static async Task RunAsync(HttpContext context)
    {
        if (!await ClientApiGuard.AdmitAsync(context, write: false).ConfigureAwait(false))
        {
            return;
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<TypedSessionsOptions>>().Value.MaxClientEventStreams;
        if (Interlocked.Increment(ref s_open) > limit)
        {
            Interlocked.Decrement(ref s_open);
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Too many change streams",
                "The server follows as many sessions as it may; the client retries.", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return;
        }

        try
        {
            await StreamAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The tab closed or navigated away.
        }
        finally
        {
            Interlocked.Decrement(ref s_open);
        }
    }

    private static async Task StreamAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var response = context.Response;
        response.ContentType = SessionClientProtocol.EventStreamMediaType;
        ClientStateEndpoints.NoStore(response);
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        if (!await session.ExistsAsync(aborted).ConfigureAwait(false))
        {
            await WriteAsync(response, "retry: 1000\nevent: idle\ndata: \n\n", aborted).ConfigureAwait(false);
            return;
        }

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
        var encoded = SessionClientProtocol.EncodeSlot(slot.Version, slot.Data is { } data ? data.Span : default);
        await WriteAsync(response, $"event: state\ndata: {encoded} {key}\n\n", aborted).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken aborted)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), aborted).ConfigureAwait(false);
        await response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }
}
