namespace TypedSessions.Runtime.Tests;

[SessionState("counter")]
public partial record Counter(int Value = 0);

[SessionState("note")]
public partial record Note(string Text = "");

/// <summary>A state the WebAssembly client may read and write.</summary>
[SessionState("client-counter", ClientAccess = SessionClientAccess.ReadWrite)]
public partial record ClientCounter(int Value = 0);

/// <summary>A state the WebAssembly client may only read.</summary>
[SessionState("client-badge", ClientAccess = SessionClientAccess.ReadOnly)]
public partial record ClientBadge(string Text = "");
