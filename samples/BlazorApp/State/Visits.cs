using TypedSessions;

namespace BlazorApp.State;

/// <summary>How many times this session has seen the streamed page <c>/visits</c>.</summary>
[SessionState("visits")]
public partial record Visits(int Count = 0);
