using TypedSessions;

namespace BlazorApp.State;

/// <summary>The value set through <c>POST /api/code</c>, as in the Dancer session tutorial.</summary>
[SessionState("code")]
public partial record CodeState(string? Code = null);
