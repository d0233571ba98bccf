namespace TypedSessions.Generator.Tests;

/// <summary>
/// The generator says a state is deeply immutable (and the runtime then shares one instance between
/// readers) only when no value of it can change at any depth; anything it cannot prove is mutable.
/// </summary>
public class DeepImmutabilityTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using TypedSessions;

        """;

    [Theory]
    [InlineData("""
        [SessionState] public partial record Cart(ImmutableList<Line> Lines, string? Coupon = null) { public Cart() : this(ImmutableList<Line>.Empty) { } }
        public record Line(string Sku, int Quantity, decimal Price);
        """)]
    [InlineData("""
        [SessionState] public partial record Profile(string Name = "", Guid Id = default, DateTimeOffset Since = default, TimeSpan Idle = default, DayOfWeek Day = DayOfWeek.Monday, int? Age = null);
        """)]
    [InlineData("""
        [SessionState] public partial class Flags { public bool Dark { get; init; } public ImmutableDictionary<string, Level> Levels { get; init; } = ImmutableDictionary<string, Level>.Empty; }
        public readonly record struct Level(int Value, string Name);
        """)]
    [InlineData("""
        [SessionState] public partial record Tree(Node? Root = null);
        public sealed record Node(int Value, Node? Left, Node? Right, ImmutableArray<string> Tags);
        """)]
    [InlineData("""
        [SessionState] public partial record Derived(int Extra = 0) : Base;
        public record Base { public string Name { get; init; } = ""; }
        """)]
    public void States_built_only_of_readonly_fields_of_immutable_types_are_deeply_immutable(string source) =>
        Assert.True(IsDeeplyImmutable(source));

    [Theory]
    [InlineData("[SessionState] public partial record Tags(List<string> Items) { public Tags() : this(new List<string>()) { } }", "a List")]
    [InlineData("[SessionState] public partial record Bytes(byte[] Data) { public Bytes() : this([]) { } }", "a byte[]")]
    [InlineData("[SessionState] public partial record Numbers(int[] Items) { public Numbers() : this([]) { } }", "an array")]
    [InlineData("[SessionState] public partial record View(IReadOnlyList<string> Items) { public View() : this([]) { } }", "a read-only interface, which may be a List")]
    [InlineData("[SessionState] public partial class Counter { public int Count { get; set; } }", "a settable property")]
    [InlineData("[SessionState] public partial record Visits(int Count = 0) { private int _cache; public int Peek() => _cache++; }", "a private mutable field")]
    [InlineData("""
        [SessionState] public partial record Cart(ImmutableList<Line> Lines) { public Cart() : this(ImmutableList<Line>.Empty) { } }
        public class Line { public string Sku { get; set; } = ""; }
        """, "a mutable type inside an immutable collection")]
    [InlineData("""
        [SessionState] public partial record Derived(int Extra = 0) : Base;
        public record Base { public string Name { get; set; } = ""; }
        """, "a settable property of a base type")]
    [InlineData("""
        [SessionState] public partial record Tree(Node? Root = null);
        public sealed class Node { public Node? Next { get; init; } public List<int> Values { get; init; } = new(); }
        """, "a mutable member of a type that refers to itself")]
    [InlineData("[SessionState] public partial record struct Point(int X = 0, int Y = 0);", "a record struct's settable positional properties")]
    [InlineData("[SessionState] public sealed partial class Tally(int count = 0) { public int Count => count; public void Bump() => count++; }", "a class's primary-constructor parameter, captured in a hidden field that is not readonly")]
    [InlineData("[SessionState] public sealed partial record Alarm(int Level = 0) { public event Action? Raised; public void Raise() => Raised?.Invoke(); }", "a field-like event, whose delegate field is not among the members")]
    public void States_with_anything_that_can_change_are_not(string source, string because) =>
        Assert.False(IsDeeplyImmutable(source), because);

    [Theory]
    [InlineData("public sealed class Money { private decimal _amount; public Money(decimal amount) { _amount = amount; } public decimal Amount => _amount; public void Add(decimal d) => _amount += d; }",
        "[SessionState] public sealed partial record Wallet(Other.Money? Total = null);")]
    [InlineData("public record BaseRecord { private int _hits; public string Name { get; init; } = \"\"; public int Hit() => ++_hits; }",
        "[SessionState] public sealed partial record Visit(int X = 0) : Other.BaseRecord;")]
    [InlineData("public sealed record Line(string Sku, int Quantity);",
        "[SessionState] public sealed partial record Cart(ImmutableList<Other.Line> Lines) { public Cart() : this(ImmutableList<Other.Line>.Empty) { } }")]
    public void Types_of_another_assembly_are_not_proved_immutable_since_their_private_fields_are_not_visible(string library, string state)
    {
        // The library compiled on its own and referenced as metadata, as a shared domain project would be.
        var lib = GeneratorHarness.Compile("namespace Other;\n" + library).WithAssemblyName("OtherLib");
        using var image = new MemoryStream();
        Assert.True(lib.Emit(image).Success);
        var reference = Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(image.ToArray());

        var run = GeneratorHarness.Run([Usings + state], [reference]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputProblems);
        var generated = string.Concat(run.Sources.Select(static s => s.Text));
        Assert.NotEmpty(generated);
        Assert.DoesNotContain("IsDeeplyImmutable => true", generated, StringComparison.Ordinal);
    }

    private static bool IsDeeplyImmutable(string source)
    {
        var run = GeneratorHarness.Run(Usings + source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputProblems);
        var generated = string.Concat(run.Sources.Select(static s => s.Text));
        Assert.NotEmpty(generated);
        return generated.Contains("IsDeeplyImmutable => true", StringComparison.Ordinal);
    }
}
