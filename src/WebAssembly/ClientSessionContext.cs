using System.Text.Json;

namespace TypedSessions.WebAssembly;

/// <summary>
/// <see cref="ISessionContext"/> in the browser: renew, invalidate and end the user's other sessions through
/// the client API, each answered with the new cookie. Signing in stays on the server.
/// </summary>
internal sealed class ClientSessionContext(SessionHub hub) : ISessionContext
{
    /// <inheritdoc />
    /// <remarks>As the server last said; the change stream asks again on every connection (the change stream does on every connection).</remarks>
    public string? UserKey => hub.Info.UserKey;

    /// <inheritdoc />
    public string? Handle => hub.Info.Handle;

    /// <inheritdoc />
    /// <remarks>As the server last said: a session without a handle is new.</remarks>
    public bool IsNew => hub.Info.Handle is null;

    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        await PostAsync("session/renew", cancellationToken).ConfigureAwait(false);
        await hub.RefreshInfoAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task InvalidateAsync(CancellationToken cancellationToken = default)
    {
        await PostAsync("session/invalidate", cancellationToken).ConfigureAwait(false);
        await hub.OnSessionChangedAsync(restartStream: true).ConfigureAwait(false);
        hub.Info = default;
    }

    /// <summary>Not in the browser: which user a session belongs to is decided by the server after it authenticates the user.</summary>
    public Task SignInAsync(string userKey, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            "Sign in on the server (a login endpoint or page that authenticates the user and calls ISessionContext.SignInAsync): " +
            "a browser must not choose the user its session belongs to.");

    public async Task<int> InvalidateOtherSessionsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await PostAsync("session/invalidate-others", cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return json.RootElement.GetProperty("ended").GetInt32();
    }

    public IDisposable Subscribe(Func<Task> onChanged) => hub.Watch(null, onChanged);

    private async Task<HttpResponseMessage> PostAsync(string path, CancellationToken cancellationToken)
    {
        var response = await hub.Api.SendAsync(HttpMethod.Post, hub.Api.Path(path), body: null, ifMatch: null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                await SessionApi.ThrowFailureAsync(response, path, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }
}
