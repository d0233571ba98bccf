using System.Buffers;
using System.Buffers.Text;

namespace TypedSessions.Cookies;

/// <summary>
/// Decodes what a client sends (cookie values, ticket bodies) without ever throwing: anything that is
/// not exactly what this library writes is refused with <see langword="false"/>.
/// </summary>
internal static class ClientText
{
    /// <summary>
    /// Decodes unpadded base64url text of at most <paramref name="maxLength"/> characters, the only form
    /// this library writes. Padding, <c>+</c>, <c>/</c>, white space, any other character and impossible
    /// lengths are refused.
    /// </summary>
    /// <remarks>
    /// The framework's own checks are not enough on their own: <see cref="Base64Url.IsValid(ReadOnlySpan{char}, out int)"/>
    /// accepts padded text that <c>Base64Url.DecodeFromChars</c> then rejects with an exception. The
    /// alphabet is checked here first, and the decoding uses the status-returning overload.
    /// </remarks>
    public static bool TryDecodeBase64Url(ReadOnlySpan<char> text, int maxLength, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length > maxLength || text.Length % 4 == 1 || text.ContainsAnyExcept(Base64UrlAlphabet))
        {
            return false;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        var status = Base64Url.DecodeFromChars(text, buffer, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>The characters of unpadded base64url.</summary>
    public static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
