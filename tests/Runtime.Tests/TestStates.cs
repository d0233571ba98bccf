namespace TypedSessions.Runtime.Tests;

[SessionState("counter")]
public partial record Counter(int Value = 0);

[SessionState("note")]
public partial record Note(string Text = "");
