using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedSessions.Generator.Tests;

/// <summary>The generator does no work on edits that do not touch a state, and caches nothing that pins a compilation.</summary>
public class IncrementalityTests
{
    private const string CartState = """
        using System.Collections.Immutable;
        using TypedSessions;
        namespace Shop;
        [SessionState("cart")]
        public partial record Cart(ImmutableList<CartLine> Lines, string? Coupon = null) { public Cart() : this(ImmutableList<CartLine>.Empty) { } }
        public record CartLine(string Sku, int Quantity, decimal Price);
        """;

    private const string ThemeState = """
        using TypedSessions;
        namespace Shop;
        [SessionState("theme")]
        public partial record Theme(string Name = "light");
        """;

    private const string Unrelated = """
        namespace Shop;
        public class Helper { public int Twice(int x) => x * 2; }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_tracked_step_cached_or_unchanged()
    {
        var run = GeneratorHarness.Run(CartState, ThemeState, Unrelated);
        var edited = Replace(run.Input, Unrelated, Unrelated.Replace("x * 2", "x + x", StringComparison.Ordinal))
            .AddSyntaxTrees(Parse("namespace Shop; public class Added { }"));

        var second = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StateStepReasons(second);
        Assert.Equal(2, reasons.Count);
        Assert.All(reasons, static r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(second.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs),
            static o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    [Fact]
    public void Changing_one_state_regenerates_that_state_only()
    {
        var run = GeneratorHarness.Run(CartState, ThemeState);
        var edited = Replace(run.Input, ThemeState, ThemeState.Replace("string Name = \"light\"", "string Name = \"light\", bool Compact = false", StringComparison.Ordinal));

        var second = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StateStepReasons(second);
        Assert.Equal(1, reasons.Count(static r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(static r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("Compact", second.GeneratedSources.Single(static s => s.HintName.Contains("Theme", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_member_type_in_another_file_regenerates_the_state_that_uses_it()
    {
        const string Order = """
            using System.Collections.Immutable;
            using TypedSessions;
            namespace Shop;
            [SessionState("order")]
            public partial record Order(ImmutableList<OrderLine> Lines) { public Order() : this(ImmutableList<OrderLine>.Empty) { } }
            """;
        const string OrderLine = """
            namespace Shop;
            public record OrderLine(string Sku, int Quantity);
            """;
        var run = GeneratorHarness.Run(Order, OrderLine, ThemeState);
        var edited = Replace(run.Input, OrderLine, OrderLine.Replace("int Quantity", "int Quantity, string? GiftNote = null", StringComparison.Ordinal));

        var second = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StateStepReasons(second);
        Assert.Equal(1, reasons.Count(static r => r == IncrementalStepRunReason.Modified));
        Assert.Contains("GiftNote", second.GeneratedSources.Single(static s => s.HintName.Contains("Order", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_state_to_the_client_regenerates_that_state_only()
    {
        var run = GeneratorHarness.Run(CartState, ThemeState);
        var edited = Replace(run.Input, ThemeState, ThemeState.Replace("[SessionState(\"theme\")]", "[SessionState(\"theme\", ClientAccess = SessionClientAccess.ReadOnly)]", StringComparison.Ordinal));

        var second = run.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = StateStepReasons(second);
        Assert.Equal(1, reasons.Count(static r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(static r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("SessionStateCatalog.Register<global::Shop.Theme>()", second.GeneratedSources.Single(static s => s.HintName.Contains("Theme", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_step_output_holds_a_symbol_compilation_or_syntax_node()
    {
        var run = GeneratorHarness.Run(CartState, ThemeState);
        var result = run.Driver.GetRunResult().Results.Single();

        // The generator's own named steps; Roslyn's input steps (the compilation, syntax) are its business.
        var ours = typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(static f => (string)f.GetValue(null)!).ToHashSet();
        var steps = result.TrackedSteps.Where(s => ours.Contains(s.Key))
            .SelectMany(static s => s.Value).SelectMany(static s => s.Outputs).Select(static o => o.Value).ToList();
        Assert.NotEmpty(steps);
        foreach (var value in steps)
        {
            AssertHoldsNoCompilerObjects(value, "output", 0);
        }
    }

    private static List<IncrementalStepRunReason> StateStepReasons(GeneratorRunResult result) =>
        [.. result.TrackedSteps[TrackingNames.States].SelectMany(static s => s.Outputs).Select(static o => o.Reason)];

    private static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));

    private static Compilation Replace(Compilation compilation, string oldSource, string newSource)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString() == oldSource);
        return compilation.ReplaceSyntaxTree(tree, Parse(newSource));
    }

    private static void AssertHoldsNoCompilerObjects(object? value, string path, int depth)
    {
        if (value is null || depth > 12 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or Compilation or SyntaxNode or SemanticModel or Location, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertHoldsNoCompilerObjects(item, $"{path}[{i++}]", depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(static p => p.GetIndexParameters().Length == 0))
        {
            AssertHoldsNoCompilerObjects(property.GetValue(value), $"{path}.{property.Name}", depth + 1);
        }
    }
}
