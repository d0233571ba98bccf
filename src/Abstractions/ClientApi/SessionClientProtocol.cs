using System.Buffers.Text;
using System.ComponentModel;
using System.Globalization;

namespace TypedSessions.Serialization;

/// <summary>
/// The wire contract between the server's client API (<c>MapTypedSessionsClientApi</c>) and the
/// WebAssembly client (<c>AddTypedSessionsWebAssembly</c>): paths, headers and the formats both write.
/// Kept in one place so the two sides cannot drift.
/// </summary>
/// <remarks>
/// State bodies are the state's generated binary serialization (<see cref="SessionStateSerializer"/>), an
/// empty body for an empty slot. A slot's stored version travels as a strong ETag (<c>"42"</c>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SessionClientProtocol
{
    /// <summary>Where the client API is mapped unless the app says otherwise.</summary>
    public const string DefaultPrefix = "/_typedsessions/api";

    /// <summary>The media type of a state's bytes.</summary>
    public const string StateMediaType = "application/vnd.typedsessions.state";

    /// <summary>The media type of the change stream.</summary>
    public const string EventStreamMediaType = "text/event-stream";

    /// <summary>
    /// A header every client API request carries. A cross-origin page cannot send it without a CORS
    /// preflight, which the client API never grants; a form or an image request cannot send it at all.
    /// </summary>
    public const string MarkerHeader = "X-TypedSessions";

    /// <summary>The value of <see cref="MarkerHeader"/> on client API requests.</summary>
    public const string MarkerValue = "client";

    /// <summary>The request header carrying the anti-forgery request token on writes.</summary>
    public const string AntiforgeryHeader = "X-TypedSessions-Antiforgery";

    /// <summary>
    /// A response header: this response changed the browser's session cookie (a new session, a renewal,
    /// a sign-out). The client cannot see <c>Set-Cookie</c>, so the server says it.
    /// </summary>
    public const string SessionChangedHeader = "X-TypedSessions-Session";

    /// <summary>A response header naming why a request was refused (<c>origin</c>, <c>antiforgery</c>, <c>access</c>).</summary>
    public const string RefusalHeader = "X-TypedSessions-Refused";

    /// <summary>The persistent component state key under which a prerendered page hands a state to WebAssembly.</summary>
    public static string HandoffKey(string stateKey) => "TypedSessions.State." + stateKey;

    /// <summary>The ETag of a stored version.</summary>
    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Reads an ETag written by <see cref="ETag"/>; <see langword="false"/> for anything else.</summary>
    public static bool TryParseETag(string? text, out long version)
    {
        version = 0;
        var span = text.AsSpan().Trim();
        return span.Length >= 3 && span[0] == '"' && span[^1] == '"'
            && long.TryParse(span[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }

    /// <summary>A slot (version and bytes, empty for an empty slot) as one line of text: <c>version.base64url</c>.</summary>
    public static string EncodeSlot(long version, ReadOnlySpan<byte> data) =>
        version.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(data);

    /// <summary>Reads what <see cref="EncodeSlot"/> wrote; <see langword="false"/> for anything else.</summary>
    public static bool TryDecodeSlot(string? text, out long version, out byte[] data)
    {
        version = 0;
        data = [];
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        var body = text.AsSpan(dot + 1);
        if (!Base64Url.IsValid(body))
        {
            return false;
        }

        data = Base64Url.DecodeFromChars(body);
        return true;
    }
}
