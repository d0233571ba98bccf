using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Cookies;
using TypedSessions.Core;
using TypedSessions.Http;
using TypedSessions.Serialization;
using TypedSessions.Stores;

namespace TypedSessions.ClientApi;

/// <summary>
/// <c>GET</c>, <c>PUT</c> and <c>DELETE</c> of one state's bytes, the slot's version as the ETag: a
/// WebAssembly <see cref="ISession{T}"/> reads, compare-and-sets (<c>If-Match</c>, 412 with the current
/// bytes on a conflict) and resets through them, on the same session core as a server request.
/// </summary>
internal static class ClientStateEndpoints
{
    public static async Task GetAsync(HttpContext context)
    {
        if (await AdmitAsync(context, write: false).ConfigureAwait(false) is not { } state)
        {
            return;
        }

        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var slot = await session.GetSlotAsync(state.Key, context.RequestAborted).ConfigureAwait(false);
        var etag = SessionClientProtocol.ETag(slot.Version);
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            NoStore(context.Response, etag);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await WriteSlotAsync(context, slot, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    public static async Task PutAsync(HttpContext context)
    {
        if (await AdmitAsync(context, write: true).ConfigureAwait(false) is not { } state
            || await ClientBody.ReadAsync(context).ConfigureAwait(false) is not { } body
            || await ExpectedVersionAsync(context).ConfigureAwait(false) is not { } expected)
        {
            return;
        }

        var (valid, data, value) = state.Accept(new ClientWrite(body));
        if (!valid)
        {
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, "Not a value of this state",
                $"The body is not a serialized '{state.Key}'.").ConfigureAwait(false);
            return;
        }

        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        using var turn = await session.LockSlotAsync(state.Key, context.RequestAborted).ConfigureAwait(false);
        if (await SlotAtVersionAsync(context, session, state.Key, expected).ConfigureAwait(false) is not { } slot)
        {
            return;
        }

        // An unchanged value costs the store nothing, as on the server.
        if (slot.Data is not { } stored || !stored.Span.SequenceEqual(data))
        {
            if (!await session.TrySaveAsync(slot, data, expected == StoredSlot.AnyVersion ? StoredSlot.AnyVersion : slot.Version, value, context.RequestAborted).ConfigureAwait(false))
            {
                await session.ReloadAsync(slot, context.RequestAborted).ConfigureAwait(false);
                await WriteSlotAsync(context, slot, StatusCodes.Status412PreconditionFailed).ConfigureAwait(false);
                return;
            }
        }

        Answered(context, slot.Version, StatusCodes.Status200OK);
    }

    public static async Task DeleteAsync(HttpContext context)
    {
        if (await AdmitAsync(context, write: true).ConfigureAwait(false) is not { } state
            || await ExpectedVersionAsync(context).ConfigureAwait(false) is not { } expected)
        {
            return;
        }

        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        using var turn = await session.LockSlotAsync(state.Key, context.RequestAborted).ConfigureAwait(false);
        if (await SlotAtVersionAsync(context, session, state.Key, expected).ConfigureAwait(false) is not { } slot)
        {
            return;
        }

        await session.RemoveAsync(slot, context.RequestAborted).ConfigureAwait(false);
        Answered(context, StoredSlot.Absent, StatusCodes.Status204NoContent);
    }

    /// <summary>The slot, when its stored version is <paramref name="expected"/> (or any is); otherwise answered 412 with what is stored.</summary>
    private static async ValueTask<SlotState?> SlotAtVersionAsync(HttpContext context, ActiveSession session, string key, long expected)
    {
        var slot = await session.GetSlotAsync(key, context.RequestAborted).ConfigureAwait(false);
        if (expected != StoredSlot.AnyVersion && slot.Version != expected)
        {
            await WriteSlotAsync(context, slot, StatusCodes.Status412PreconditionFailed).ConfigureAwait(false);
            return null;
        }

        return slot;
    }

    /// <summary>The state of the route, when the request may use it as asked; otherwise answered (403, 404).</summary>
    private static async ValueTask<SessionStateDescriptor?> AdmitAsync(HttpContext context, bool write)
    {
        if (!await ClientApiGuard.AdmitAsync(context, write).ConfigureAwait(false))
        {
            return null;
        }

        var key = context.Request.RouteValues["key"] as string ?? "";
        if (ClientStates.Find(key) is not { } state)
        {
            // The same answer for a state that does not exist and one kept on the server: nothing to learn.
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status404NotFound, "No such state",
                "No state the client may use has this key.").ConfigureAwait(false);
            return null;
        }

        if (write && state.ClientAccess != SessionClientAccess.ReadWrite)
        {
            await ClientApiGuard.RefuseAsync(context, "access", $"The state '{state.Key}' is read-only to the client.").ConfigureAwait(false);
            return null;
        }

        return state;
    }

    // If-Match: absent or * writes whatever the stored version is (SetAsync); an ETag makes it a compare-and-set.
    private static async ValueTask<long?> ExpectedVersionAsync(HttpContext context)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch == "*")
        {
            return StoredSlot.AnyVersion;
        }

        if (SessionClientProtocol.TryParseETag(ifMatch, out var version))
        {
            return version;
        }

        await ProblemAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad If-Match", "If-Match must be one ETag of this API.").ConfigureAwait(false);
        return null;
    }

    private static async Task WriteSlotAsync(HttpContext context, SlotState slot, int status)
    {
        Answered(context, slot.Version, status);
        var response = context.Response;
        response.ContentType = SessionClientProtocol.StateMediaType;
        if (slot.Data is { } data)
        {
            response.ContentLength = data.Length;
            await response.Body.WriteAsync(data, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentLength = 0;
        }
    }

    private static void Answered(HttpContext context, long version, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response, SessionClientProtocol.ETag(version));
        MarkSessionChange(context);
    }

    /// <summary>Tells the client when this response changes its session cookie (which it cannot see).</summary>
    public static void MarkSessionChange(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<CookieOutbox>().SessionChange != SessionCookieChange.None)
        {
            context.Response.Headers[SessionClientProtocol.SessionChangedHeader] = "1";
        }
    }

    public static void NoStore(HttpResponse response, string? etag = null)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }
    }

    /// <summary>Reads the client's bytes as the state's type: valid bytes come back re-serialized, with the value.</summary>
    private sealed class ClientWrite(byte[] body) : ISessionStateVisitor<(bool Valid, byte[] Data, object? Value)>
    {
        public (bool Valid, byte[] Data, object? Value) Visit<T>() where T : ISessionState<T>
        {
            var read = SessionStateSerializer.Deserialize<T>(body);
            return read.Status == SessionReadStatus.Invalid
                ? (false, [], null)
                : (true, SessionStateSerializer.SerializeToArray(read.Value), read.Value);
        }
    }
}
