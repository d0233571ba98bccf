using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TypedSessions.Core;
using TypedSessions.Serialization;

namespace TypedSessions.ClientApi;

/// <summary>
/// The session itself for a WebAssembly <see cref="ISessionContext"/>: what it is (<c>GET session</c>),
/// renew, invalidate, end the user's other sessions, and the anti-forgery token its writes carry. Each
/// answer that changes the cookie carries the new <c>Set-Cookie</c> itself.
/// </summary>
/// <remarks>
/// There is no sign-in here on purpose: which user a session belongs to is the server's decision, made
/// after it has authenticated the user, never something a browser may claim.
/// </remarks>
internal static class ClientSessionEndpoints
{
    public static async Task GetAsync(HttpContext context)
    {
        if (!await ClientApiGuard.AdmitAsync(context, write: false).ConfigureAwait(false))
        {
            return;
        }

        var session = context.RequestServices.GetRequiredService<ActiveSession>();
        var userKey = await session.GetUserKeyAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, writer =>
        {
            writer.WriteString("handle", session.Handle);
            writer.WriteString("userKey", userKey);
        }).ConfigureAwait(false);
    }

    public static async Task RenewAsync(HttpContext context)
    {
        if (await AdmitWriteAsync(context).ConfigureAwait(false) is { } session)
        {
            await session.RenewAsync(context.RequestAborted).ConfigureAwait(false);
            Done(context);
        }
    }

    public static async Task InvalidateAsync(HttpContext context)
    {
        if (await AdmitWriteAsync(context).ConfigureAwait(false) is { } session)
        {
            await session.InvalidateAsync(context.RequestAborted).ConfigureAwait(false);
            Done(context);
        }
    }

    public static async Task InvalidateOthersAsync(HttpContext context)
    {
        if (await AdmitWriteAsync(context).ConfigureAwait(false) is { } session)
        {
            var ended = await session.InvalidateOtherSessionsAsync(context.RequestAborted).ConfigureAwait(false);
            await WriteJsonAsync(context, writer => writer.WriteNumber("ended", ended)).ConfigureAwait(false);
        }
    }

    /// <summary>The anti-forgery request token for this browser (and its cookie, when it has none yet).</summary>
    public static async Task AntiforgeryAsync(HttpContext context)
    {
        if (!await ClientApiGuard.AdmitAsync(context, write: false).ConfigureAwait(false))
        {
            return;
        }

        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        await WriteJsonAsync(context, writer => writer.WriteString("token", tokens.RequestToken)).ConfigureAwait(false);
    }

    private static async ValueTask<ActiveSession?> AdmitWriteAsync(HttpContext context) =>
        await ClientApiGuard.AdmitAsync(context, write: true).ConfigureAwait(false)
            ? context.RequestServices.GetRequiredService<ActiveSession>()
            : null;

    private static void Done(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        ClientStateEndpoints.NoStore(context.Response);
        ClientStateEndpoints.MarkSessionChange(context);
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        ClientStateEndpoints.NoStore(response);
        ClientStateEndpoints.MarkSessionChange(context);
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        write(writer);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
