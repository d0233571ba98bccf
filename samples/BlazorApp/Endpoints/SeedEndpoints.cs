using System.Text.Encodings.Web;
using BlazorApp.State;
using TypedSessions;

namespace BlazorApp.Endpoints;

/// <summary>The examples of the documents TypedSessions grew from, as minimal APIs.</summary>
public static class SeedEndpoints
{
    public static IEndpointRouteBuilder MapSeedEndpoints(this IEndpointRouteBuilder app)
    {
        // Dream's b-session: the first visit "logs you in" as alice, the next one recognises you.
        app.MapGet("/b-session", async (ISession<UserSession> user, ISessionContext session) =>
        {
            var current = await user.GetAsync();
            if (current.User is null)
            {
                // A new identity gets a new session: an ID anyone saw before sign-in is worthless after it.
                await session.InvalidateAsync();
                await session.SignInAsync("alice");
                await user.SetAsync(new UserSession("alice"));
                return Results.Content("You weren't logged in; but now you are!", "text/html");
            }

            return Results.Content($"Welcome back, {HtmlEncoder.Default.Encode(current.User)}!", "text/html");
        });

        // The Dancer tutorial's API: POST a code with a form field, GET it back with the cookie.
        var api = app.MapGroup("/api");
        api.MapGet("/code", async (ISession<CodeState> code) =>
            Results.Json(new CodeResponse((await code.GetAsync()).Code)));

        api.MapPost("/code", async (HttpRequest request, ISession<CodeState> code) =>
        {
            // Read by hand rather than bound, as the tutorial's clients (curl, jQuery) send no antiforgery token;
            // the session cookie is SameSite=Lax, so other sites' forms cannot post with it.
            var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
            if (form is null || !form.TryGetValue("code", out var value))
            {
                return Results.Json(new ErrorResponse("The form field 'code' is required."), statusCode: StatusCodes.Status400BadRequest);
            }

            await code.SetAsync(new CodeState(value.ToString()));
            return Results.Json(new CodeResponse("set"));
        });

        return app;
    }

    private sealed record CodeResponse(string? Result);

    private sealed record ErrorResponse(string Error);
}
