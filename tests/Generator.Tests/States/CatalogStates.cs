namespace TypedSessions.Generator.Tests.States;

// States of the catalog tests. Their generated module initializers register them when this assembly
// loads, before any test runs. Keys are prefixed "catalog-" so no other test's states meet them.

[SessionState("catalog-readonly", ClientAccess = SessionClientAccess.ReadOnly)]
public partial record CatalogReadOnly(int Count = 0);

public static partial class CatalogPanels
{
    [SessionState("catalog-layout", ClientAccess = SessionClientAccess.ReadWrite)]
    internal partial record struct Layout(int Columns = 2);
}

[SessionState("catalog-server-only")]
public partial record CatalogServerOnly(int Count = 0);

// Two types, one key (TS0004, silenced for this project): the catalog must refuse the key.
[SessionState("catalog-clash", ClientAccess = SessionClientAccess.ReadWrite)]
public partial record CatalogClashFirst(int Count = 0);

[SessionState("catalog-clash", ClientAccess = SessionClientAccess.ReadOnly)]
public partial record CatalogClashSecond(string Name = "");

// Keys that differ only in case clash too (the cookie store could not tell them apart).
[SessionState("catalog-case", ClientAccess = SessionClientAccess.ReadOnly)]
public partial record CatalogCaseLower(int Count = 0);

[SessionState("Catalog-Case", ClientAccess = SessionClientAccess.ReadOnly)]
public partial record CatalogCaseUpper(int Count = 0);
