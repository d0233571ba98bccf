using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TypedSessions.Serialization;

namespace TypedSessions.Runtime.Tests;

/// <summary>The client API as the WebAssembly client speaks it, over a <see cref="CookieClient"/> (one browser).</summary>
internal sealed class ClientApiClient(CookieClient browser)
{
    public const string Api = SessionClientProtocol.DefaultPrefix;

    private string? _token;

    public CookieClient Browser => browser;

    public Task<HttpResponseMessage> GetAsync(string key, Action<HttpRequestMessage>? configure = null) =>
        browser.SendRawAsync(HttpMethod.Get, $"{Api}/state/{key}", configure: r => { Mark(r); configure?.Invoke(r); });

    public async Task<HttpResponseMessage> PutAsync(string key, byte[] body, string? ifMatch = null, Action<HttpRequestMessage>? configure = null)
    {
        var token = await TokenAsync();
        return await browser.SendRawAsync(HttpMethod.Put, $"{Api}/state/{key}", configure: r =>
        {
            Mark(r);
            r.Headers.Add(SessionClientProtocol.AntiforgeryHeader, token);
            if (ifMatch is not null)
            {
                r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            r.Content = new ByteArrayContent(body);
            r.Content.Headers.ContentType = new MediaTypeHeaderValue(SessionClientProtocol.StateMediaType);
            configure?.Invoke(r);
        });
    }

    public async Task<HttpResponseMessage> SendWriteAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var token = await TokenAsync();
        return await browser.SendRawAsync(method, $"{Api}/{path}", configure: r =>
        {
            Mark(r);
            r.Headers.Add(SessionClientProtocol.AntiforgeryHeader, token);
            configure?.Invoke(r);
        });
    }

    public async Task<string> TokenAsync()
    {
        if (_token is null)
        {
            var response = await browser.SendRawAsync(HttpMethod.Get, $"{Api}/antiforgery", configure: Mark);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            _token = json.RootElement.GetProperty("token").GetString();
        }

        return _token!;
    }

    public static void Mark(HttpRequestMessage request) =>
        request.Headers.Add(SessionClientProtocol.MarkerHeader, SessionClientProtocol.MarkerValue);

    public static byte[] Bytes<T>(T value) where T : ISessionState<T> => SessionStateSerializer.SerializeToArray(value);

    public static async Task<T> ValueAsync<T>(HttpResponseMessage response) where T : ISessionState<T>
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return bytes.Length == 0 ? T.CreateDefault() : SessionStateSerializer.Deserialize<T>(bytes).Value;
    }
}
