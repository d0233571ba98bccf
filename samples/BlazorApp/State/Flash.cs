using TypedSessions;

namespace BlazorApp.State;

/// <summary>
/// A message shown once, on the next page: set it before a redirect, and the page after it takes it
/// (<see cref="ISession{T}.TakeAsync"/>), so a reload does not show it again. Dream's, scs's and Rails's
/// flash, as one typed slot.
/// </summary>
[SessionState("flash")]
public partial record Flash(string Message = "");
