using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSessions.Http;

/// <summary>
/// The answer to a request the library refuses or cannot serve: problem details
/// (application/problem+json) when the app registered <see cref="IProblemDetailsService"/>
/// (<c>AddProblemDetails</c>), plain text otherwise.
/// </summary>
/// <remarks>
/// Always a body of its own, so that status code pages (<c>UseStatusCodePagesWithReExecute</c>) leave the
/// answer alone rather than re-running the request as a page that needs the session too.
/// </remarks>
internal static class ProblemAnswer
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, TimeSpan? retryAfter = null, (string Name, string Value)? header = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        if (header is { } extra)
        {
            response.Headers[extra.Name] = extra.Value;
        }

        if (retryAfter is { } wait && wait > TimeSpan.Zero)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (context.RequestServices.GetService<IProblemDetailsService>() is { } problems
            && await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
            }).ConfigureAwait(false))
        {
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"{title}; {detail}", context.RequestAborted).ConfigureAwait(false);
    }
}
