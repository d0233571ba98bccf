using TypedSessions;

namespace BlazorApp.State;

/// <summary>Who is signed in: Dream's "user" session field, typed.</summary>
[SessionState("user")]
public partial record UserSession(string? User = null)
{
    public bool IsSignedIn => User is not null;
}
