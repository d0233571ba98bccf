using System.Collections.Immutable;

namespace TypedSessions.Generator.Tests.States;

/// <summary>A list of records that have no default instance: a null among them can only be forged.</summary>
[SessionState("null-lines")]
public partial record WithLines(ImmutableList<Line> Lines)
{
    public WithLines() : this(ImmutableList<Line>.Empty) { }
}

public record Line(string Sku, int Quantity);
