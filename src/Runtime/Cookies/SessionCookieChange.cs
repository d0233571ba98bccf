namespace TypedSessions.Cookies;

/// <summary>What the response must do to the session cookie.</summary>
internal enum SessionCookieChange
{
    /// <summary>Leave it as it is.</summary>
    None,

    /// <summary>Send the (new) session ID.</summary>
    Issue,

    /// <summary>Expire it: the session was invalidated and nothing was written since.</summary>
    Delete,
}
