using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.WebAssembly.Http;
using Microsoft.Extensions.Options;
using TypedSessions.Serialization;

namespace TypedSessions.WebAssembly;

/// <summary>
/// The client API over HTTP, to the app's own origin only, with the browser's cookies: the marker header
/// on every request, the anti-forgery token on writes, and the server's refusals and failures turned into
/// the same exceptions a server-side <see cref="ISession{T}"/> throws.
/// </summary>
internal sealed class SessionApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _prefix;
    private readonly AntiforgeryStateProvider? _antiforgery;
    private string? _token;

    public SessionApi(IOptions<TypedSessionsWebAssemblyOptions> options, IServiceProvider services)
    {
        var o = options.Value;
        var baseAddress = o.BaseAddress ?? new Uri(((NavigationManager?)services.GetService(typeof(NavigationManager)))?.BaseUri
            ?? throw new InvalidOperationException("Set TypedSessionsWebAssemblyOptions.BaseAddress: there is no page to take it from."));
        _http = new HttpClient { BaseAddress = baseAddress };
        _prefix = o.ApiPrefix.TrimEnd('/');
        _antiforgery = (AntiforgeryStateProvider?)services.GetService(typeof(AntiforgeryStateProvider));
    }

    /// <summary>Raised when a response changed the browser's session cookie (a new session, renewed, ended).</summary>
    public event Action? SessionChanged;

    public string StatePath(string key) => $"{_prefix}/state/{Uri.EscapeDataString(key)}";

    public string Path(string relative) => $"{_prefix}/{relative}";

    /// <summary>Sends a request; a write carries the anti-forgery token, fetched again once if the server refuses it.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, long? ifMatch, CancellationToken cancellationToken, bool stream = false)
    {
        var write = method != HttpMethod.Get;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add(SessionClientProtocol.MarkerHeader, SessionClientProtocol.MarkerValue);
            if (write)
            {
                request.Headers.Add(SessionClientProtocol.AntiforgeryHeader, await TokenAsync(renew: attempt > 0, cancellationToken).ConfigureAwait(false));
            }

            if (ifMatch is { } version)
            {
                request.Headers.TryAddWithoutValidation("If-Match", SessionClientProtocol.ETag(version));
            }

            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(SessionClientProtocol.StateMediaType);
            }

            if (stream)
            {
                request.SetBrowserResponseStreamingEnabled(true);
            }

            var response = await _http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (write && attempt == 0 && response.StatusCode == HttpStatusCode.Forbidden && Refusal(response) == "antiforgery")
            {
                response.Dispose();
                continue; // the token went stale (a sign-in changes it): fetch a fresh one and try once more
            }

            if (response.Headers.Contains(SessionClientProtocol.SessionChangedHeader))
            {
                SessionChanged?.Invoke();
            }

            return response;
        }
    }

    /// <summary>Throws what a server-side session would for the same failure.</summary>
    public static async Task ThrowFailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = $"TypedSessions client API: {what} answered {(int)response.StatusCode}. {detail}".Trim();
        throw response.StatusCode switch
        {
            HttpStatusCode.Conflict => new SessionEndedException(message),
            HttpStatusCode.TooManyRequests => new SessionRateLimitedException(message) { RetryAfter = response.Headers.RetryAfter?.Delta },
            HttpStatusCode.ServiceUnavailable => new SessionStoreUnavailableException(message),
            HttpStatusCode.NotFound => new InvalidOperationException(
                message + " Mark the state [SessionState(ClientAccess = ...)] and call app.MapTypedSessionsClientApi() on the server."),
            HttpStatusCode.Forbidden => new UnauthorizedAccessException(message),
            _ => new HttpRequestException(message, null, response.StatusCode),
        };
    }

    public void Dispose() => _http.Dispose();

    private static string? Refusal(HttpResponseMessage response) =>
        response.Headers.TryGetValues(SessionClientProtocol.RefusalHeader, out var values) ? values.FirstOrDefault() : null;

    // The token a prerendered page handed over, else one asked of the server (which also sets its cookie).
    private async Task<string> TokenAsync(bool renew, CancellationToken cancellationToken)
    {
        if (!renew && _token is not null)
        {
            return _token;
        }

        if (!renew && _antiforgery?.GetAntiforgeryToken()?.Value is { Length: > 0 } handed)
        {
            return _token = handed;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Path("antiforgery"));
        request.Headers.Add(SessionClientProtocol.MarkerHeader, SessionClientProtocol.MarkerValue);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            await ThrowFailureAsync(response, "the anti-forgery token", cancellationToken).ConfigureAwait(false);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return _token = json.RootElement.GetProperty("token").GetString() ?? "";
    }
}
