using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSessions.Generator.Diagnostics;

namespace TypedSessions.Generator.Tests;

/// <summary>Each diagnostic: its id, severity, and the source text it points at.</summary>
public class AnalyzerTests
{
    private static async Task<IReadOnlyList<(string Id, DiagnosticSeverity Severity, string At, string Message)>> AnalyzeAsync(string source)
    {
        var compilation = GeneratorHarness.Compile("using System.Collections.Generic;\nusing System.Collections.Immutable;\nusing TypedSessions;\n" + source);
        var diagnostics = await compilation.WithAnalyzers([new SessionStateAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .Select(static d => (d.Id, d.Severity, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))];
    }

    [Theory]
    [InlineData("[SessionState] public record NotPartial(int X = 0);", "TS0001", DiagnosticSeverity.Error, "NotPartial")]
    [InlineData("public class Outer { [SessionState] public partial record Inner(int X = 0); }", "TS0001", DiagnosticSeverity.Error, "Inner")]
    [InlineData("[SessionState] public partial record NoDefault(int X);", "TS0002", DiagnosticSeverity.Error, "NoDefault")]
    [InlineData("[SessionState] public partial record Holder(object Thing = null!);", "TS0003", DiagnosticSeverity.Error, "Thing")]
    [InlineData("[SessionState] public partial record Holder(IList<int>? Items = null);", "TS0003", DiagnosticSeverity.Error, "Items")]
    [InlineData("[SessionState] public partial record Holder(int[,]? Grid = null);", "TS0003", DiagnosticSeverity.Error, "Grid")]
    [InlineData("[SessionState] public partial record G<T>(int X = 0);", "TS0005", DiagnosticSeverity.Error, "G")]
    [InlineData("public partial class Outer<T> { [SessionState] public partial record Inner(int X = 0); }", "TS0005", DiagnosticSeverity.Error, "Inner")]
    [InlineData("[SessionState] public partial record M(List<int> Items) { public M() : this(new List<int>()) { } }", "TS0006", DiagnosticSeverity.Warning, "Items")]
    [InlineData("[SessionState] public partial record M(Dictionary<string, int> Map) { public M() : this(new Dictionary<string, int>()) { } }", "TS0006", DiagnosticSeverity.Warning, "Map")]
    [InlineData("[SessionState] public partial record M(int[] Numbers) { public M() : this([]) { } }", "TS0006", DiagnosticSeverity.Warning, "Numbers")]
    [InlineData("[SessionState(\"has space\")] public partial record K(int X = 0);", "TS0007", DiagnosticSeverity.Error, "SessionState(\"has space\")")]
    [InlineData("[SessionState(\"\")] public partial record K(int X = 0);", "TS0007", DiagnosticSeverity.Error, "SessionState(\"\")")]
    [InlineData("public partial class Outer { [SessionState(\"c\", ClientAccess = SessionClientAccess.ReadOnly)] private partial record C(int X = 0); }", "TS0008", DiagnosticSeverity.Error, "SessionState(\"c\", ClientAccess = SessionClientAccess.ReadOnly)")]
    [InlineData("internal partial class Outer { [SessionState(\"c\", ClientAccess = SessionClientAccess.ReadWrite)] protected partial record C(int X = 0); }", "TS0008", DiagnosticSeverity.Error, "SessionState(\"c\", ClientAccess = SessionClientAccess.ReadWrite)")]
    public async Task Reports_the_diagnostic_on_the_line_to_fix(string source, string id, DiagnosticSeverity severity, string at)
    {
        var diagnostics = await AnalyzeAsync(source);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal((id, severity, at), (diagnostic.Id, diagnostic.Severity, diagnostic.At));
    }

    [Fact]
    public async Task An_unsupported_member_deep_inside_nested_records_and_collections_is_reported_there_with_its_path()
    {
        var diagnostics = await AnalyzeAsync("""
            [SessionState] public partial record Order(ImmutableList<Line> Lines) { public Order() : this(ImmutableList<Line>.Empty) { } }
            public record Line(string Sku, Detail Detail);
            public record Detail(System.Action Callback);
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("TS0003", "Callback"), (diagnostic.Id, diagnostic.At));
        Assert.Contains("Order.Lines[].Detail.Callback", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("delegates", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_states_with_one_key_are_both_reported()
    {
        var diagnostics = await AnalyzeAsync("""
            [SessionState("cart")] public partial record A(int X = 0);
            [SessionState("cart")] public partial record B(int Y = 0);
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, static d => Assert.Equal(("TS0004", DiagnosticSeverity.Error), (d.Id, d.Severity)));
        Assert.Contains("'B'", diagnostics[0].Message, StringComparison.Ordinal);
        Assert.Contains("'A'", diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_case_are_reported_as_one_key()
    {
        var diagnostics = await AnalyzeAsync("""
            [SessionState("Case")] public partial record Upper(int Value = 0);
            [SessionState("case")] public partial record Lower(int Value = 0);
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, static d => Assert.Equal("TS0004", d.Id));
        Assert.Contains(diagnostics, static d => d.Message.Contains("'Case' of 'Upper'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, static d => d.Message.Contains("(as 'Case')", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Valid_states_report_nothing_including_a_self_referencing_one()
    {
        var diagnostics = await AnalyzeAsync("""
            [SessionState("cart")] public partial record Cart(ImmutableList<CartLine> Lines, string? Coupon = null) { public Cart() : this(ImmutableList<CartLine>.Empty) { } }
            public record CartLine(string Sku, int Quantity, decimal Price);
            [SessionState] public partial record Chain(string Value = "", Chain? Next = null);
            public static partial class Outer { [SessionState] public partial record struct Theme(string Name = "light"); }
            internal partial class Panel { [SessionState("panel", ClientAccess = SessionClientAccess.ReadWrite)] protected internal partial record struct Layout(int Columns = 2); }
            public partial class Hidden { [SessionState("hidden")] private partial record Secret(int X = 0); }
            """);

        Assert.Empty(diagnostics);
    }
}
