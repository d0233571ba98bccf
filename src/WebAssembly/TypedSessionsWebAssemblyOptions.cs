using TypedSessions.Serialization;

namespace TypedSessions.WebAssembly;

/// <summary>Options of the WebAssembly client (<c>AddTypedSessionsWebAssembly</c>).</summary>
public sealed class TypedSessionsWebAssemblyOptions
{
    /// <summary>Where the server mapped its client API (<c>MapTypedSessionsClientApi</c>). Default: <c>/_typedsessions/api</c>.</summary>
    public string ApiPrefix { get; set; } = SessionClientProtocol.DefaultPrefix;

    /// <summary>
    /// The app's own origin and base path; <see langword="null"/> (the default) takes the page's base URI.
    /// Requests go nowhere else.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How many compare-and-set attempts an update makes before it gives up. Default: 20.</summary>
    public int MaxUpdateAttempts { get; set; } = 20;

    /// <summary>How long the change stream waits before it reconnects, unless the server says otherwise. Default: 1 second.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
}
