namespace TypedSessions;

/// <summary>
/// What a Blazor WebAssembly client may do with a session state, set with
/// <see cref="SessionStateAttribute.ClientAccess"/>.
/// </summary>
/// <remarks>
/// Session state lives on the server; a state the client can reach is one that an attacker in control of
/// the browser can reach too. Open a state to the client only when everything in it may be seen (and, for
/// <see cref="ReadWrite"/>, set) by the user.
/// </remarks>
public enum SessionClientAccess
{
    /// <summary>The state never leaves the server. The default.</summary>
    None = 0,

    /// <summary>The WebAssembly client may read the state and watch it for changes.</summary>
    ReadOnly = 1,

    /// <summary>The WebAssembly client may read and watch the state, and write it.</summary>
    ReadWrite = 2,
}
