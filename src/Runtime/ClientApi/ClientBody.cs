using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TypedSessions.Http;

namespace TypedSessions.ClientApi;

/// <summary>Reads a client API request body, never past <see cref="TypedSessionsOptions.MaxClientStateBytes"/>.</summary>
internal static class ClientBody
{
    /// <summary>The body, or <see langword="null"/> after answering 413 (too large) or 400 (cut off).</summary>
    public static async ValueTask<byte[]?> ReadAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<TypedSessionsOptions>>().Value.MaxClientStateBytes;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return null;
        }

        var buffer = new byte[Math.Min(limit + 1, (int?)request.ContentLength ?? 4096)];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        await TooLargeAsync(context, limit).ConfigureAwait(false);
                        return null;
                    }

                    Array.Resize(ref buffer, Math.Min(limit + 1, Math.Max(4096, buffer.Length * 2)));
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (BadHttpRequestException)
        {
            await ProblemAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad body", "The request body could not be read.").ConfigureAwait(false);
            return null;
        }

        if (length > limit)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return null;
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    private static Task TooLargeAsync(HttpContext context, int limit) =>
        ProblemAnswer.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "State too large",
            $"A client may write at most {limit} bytes of state.");
}
