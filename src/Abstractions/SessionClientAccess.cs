namespace TypedSessions;

/// <summary>What a Blazor WebAssembly client may do with a state (<see cref="SessionStateAttribute.ClientAccess"/>).</summary>
/// <remarks>
/// The server enforces it, whatever the client sends: a state the client may not read answers 404 to the
/// client API, and a state it may not write refuses writes with 403.
/// </remarks>
public enum SessionClientAccess
{
    /// <summary>The state never leaves the server: the client API does not know it. The default.</summary>
    None = 0,

    /// <summary>The client may read and watch the state, never write it.</summary>
    ReadOnly = 1,

    /// <summary>The client may read, watch and write the state (set, update, reset).</summary>
    ReadWrite = 2,
}
