using System.Globalization;
using Microsoft.AspNetCore.Http;
using TypedSessions.Stores;

namespace TypedSessions.Cookies;

/// <summary>
/// The cookies of the cookie store as one scope sees them: captured from the request (or a circuit's
/// connection request), changed by the scope's writes, and written to a response (the scope's own, or
/// the cookie endpoint's for a circuit). One cookie per slot, named after the session cookie
/// (<c>TypedSessions.prefs</c>), split into chunks past <see cref="ChunkSize"/>.
/// </summary>
/// <remarks>
/// A chunked slot is <c>name=chunks-N</c> plus <c>name!1</c> ... <c>name!N</c>; <c>!</c> never appears in a
/// base name, as keys are escaped into it.
/// </remarks>
internal sealed class SlotCookieJar(SessionCookie sessionCookie, SessionStoreChoice stores)
{
    /// <summary>The longest value of one cookie: browsers keep about 4096 bytes per cookie, name and attributes included.</summary>
    public const int ChunkSize = 4000;

    private const string ChunkMarker = "chunks-";
    /// <summary>The most chunks one slot's cookie is split into.</summary>
    public const int MaxChunks = 64;

    // Made at first use: a request whose states are all in a server store never needs them.
    private Dictionary<string, string>? _current;
    private HashSet<string>? _dirty;
    private HttpContext? _request;
    private bool _pushed;

    /// <summary>The keys of the slots the browser has (or will have once the scope's writes reach it).</summary>
    public IEnumerable<string> Keys => _current?.Keys ?? (IEnumerable<string>)[];

    /// <summary>Whether a write can still reach the browser (the response has not started; or a circuit).</summary>
    public bool CanWrite => _pushed || _request is { Response.HasStarted: false };

    /// <summary>Whether this app keeps any state in the cookie store (only then can slot cookies change).</summary>
    public bool MayWrite => stores.UsesCookieStore;

    /// <summary>Whether the scope wrote something the browser has not received yet.</summary>
    public bool HasPending => _dirty is { Count: > 0 };

    /// <summary>
    /// Reads the slot cookies of <paramref name="context"/>'s request. Writes reach the browser with that
    /// request's response until it starts, or, with <paramref name="pushed"/> (a circuit), at any time.
    /// </summary>
    public void Capture(HttpContext? context, bool pushed)
    {
        _pushed = pushed;
        _request = pushed ? null : context;
        if (context is null || !stores.UsesCookieStore)
        {
            return; // nothing to read: no state is kept in the cookie store
        }

        var prefix = sessionCookie.NameFor(context) + ".";
        var cookies = context.Request.Cookies;
        foreach (var (name, value) in cookies)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) && !name.Contains('!', StringComparison.Ordinal)
                && Reassemble(cookies, name, value) is { } whole)
            {
                // Keys are state keys: a name that unescapes to control characters is no state's, and is
                // dropped here rather than carried into logs (a forged line break would forge a log line).
                var key = Uri.UnescapeDataString(name[prefix.Length..]);
                if (!key.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !key.Contains('\u007f', StringComparison.Ordinal))
                {
                    (_current ??= new(StringComparer.Ordinal))[key] = whole;
                }
            }
        }
    }

    public string? Read(string key) => _current?.GetValueOrDefault(key);

    /// <summary>What a cookie of <paramref name="value"/> for <paramref name="key"/> adds to the Cookie header.</summary>
    public static int EstimatedSize(string key, string value) =>
        value.Length + (((value.Length / ChunkSize) + 1) * (key.Length + 24)); // each chunk repeats the name

    /// <summary>Sets (or with <see langword="null"/>, deletes) the cookie of slot <paramref name="key"/>.</summary>
    public void Write(string key, string? value)
    {
        _current ??= new(StringComparer.Ordinal);
        if (value is null)
        {
            _current.Remove(key);
        }
        else
        {
            _current[key] = value;
        }

        (_dirty ??= new(StringComparer.Ordinal)).Add(key);
    }

    /// <summary>The writes not yet sent, which are then considered sent.</summary>
    public IReadOnlyList<SlotCookieWrite> TakePending()
    {
        if (_dirty is not { Count: > 0 })
        {
            return [];
        }

        var pending = _dirty.Select(key => new SlotCookieWrite(key, _current?.GetValueOrDefault(key))).ToList();
        _dirty.Clear();
        return pending;
    }

    /// <summary>Marks <paramref name="writes"/> as not sent yet (a delivery that failed), unless the slot changed since.</summary>
    public void Resend(IEnumerable<SlotCookieWrite> writes)
    {
        foreach (var (key, value) in writes)
        {
            if (_current?.GetValueOrDefault(key) == value)
            {
                (_dirty ??= new(StringComparer.Ordinal)).Add(key);
            }
        }
    }

    /// <summary>Writes <paramref name="writes"/> to <paramref name="context"/>'s response, removing chunks the request had beyond the new value's.</summary>
    public void Apply(HttpContext context, IEnumerable<SlotCookieWrite> writes)
    {
        var prefix = sessionCookie.NameFor(context) + ".";
        var options = sessionCookie.OptionsFor(context);
        var cookies = context.Response.Cookies;
        foreach (var (key, value) in writes)
        {
            SessionCookie.ForbidCaching(context);
            var name = prefix + Uri.EscapeDataString(key);
            var oldChunks = ChunkCount(context.Request.Cookies[name]);
            var newChunks = 0;
            if (value is null)
            {
                cookies.Delete(name, options);
            }
            else if (value.Length <= ChunkSize)
            {
                cookies.Append(name, value, options);
            }
            else
            {
                newChunks = (value.Length + ChunkSize - 1) / ChunkSize;
                cookies.Append(name, ChunkMarker + newChunks.ToString(CultureInfo.InvariantCulture), options);
                for (var i = 0; i < newChunks; i++)
                {
                    var chunk = value.Substring(i * ChunkSize, Math.Min(ChunkSize, value.Length - (i * ChunkSize)));
                    cookies.Append(ChunkName(name, i + 1), chunk, options);
                }
            }

            for (var i = newChunks + 1; i <= oldChunks; i++)
            {
                cookies.Delete(ChunkName(name, i), options);
            }
        }
    }

    private static string? Reassemble(IRequestCookieCollection cookies, string name, string value)
    {
        var count = ChunkCount(value);
        if (count == 0)
        {
            return value;
        }

        var parts = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (cookies[ChunkName(name, i + 1)] is not { Length: > 0 } part)
            {
                return null; // a chunk is missing: the slot is unreadable, and reads as empty
            }

            parts[i] = part;
        }

        return string.Concat(parts);
    }

    private static int ChunkCount(string? value) =>
        value is not null && value.StartsWith(ChunkMarker, StringComparison.Ordinal)
        && int.TryParse(value.AsSpan(ChunkMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= MaxChunks
            ? count
            : 0;

    private static string ChunkName(string name, int index) => name + "!" + index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A slot cookie to set, or with a <see langword="null"/> value, to delete.</summary>
internal readonly record struct SlotCookieWrite(string Key, string? Value);
