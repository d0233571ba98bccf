using Microsoft.CodeAnalysis;

namespace TypedSessions.Generator.Tests;

/// <summary>
/// The generated files, compared with the expected ones checked in under Expected/.
/// To refresh them after an intended change: TYPEDSESSIONS_UPDATE_EXPECTED=1 dotnet test tests/Generator.Tests
/// </summary>
public class GeneratedSourceTests
{
    private const string CartSource = """
        using System.Collections.Immutable;
        using TypedSessions;

        namespace Shop;

        [SessionState("cart")]
        public partial record Cart(ImmutableList<CartLine> Lines, string? Coupon = null)
        {
            public Cart() : this(ImmutableList<CartLine>.Empty) { }
        }

        public record CartLine(string Sku, int Quantity, decimal Price);
        """;

    private const string NestedStructSource = """
        using System.Collections.Generic;
        using TypedSessions;

        namespace Shop.Preferences;

        public static partial class Settings
        {
            [SessionState]
            public partial record struct Theme(string Name = "light", bool HighContrast = false)
            {
                public Dictionary<string, int> Sizes { get; init; } = new();
            }
        }
        """;

    private const string GlobalClassSource = """
        using TypedSessions;

        [SessionState("visits")]
        public partial class Visits
        {
            public int Count { get; set; }
            public System.DateTimeOffset? Last { get; init; }
            public int[] Recent = [];
        }
        """;

    private const string ClientCartSource = """
        using System.Collections.Immutable;
        using TypedSessions;

        namespace Shop.Client;

        [SessionState("client-cart", ClientAccess = SessionClientAccess.ReadWrite)]
        public partial record Cart(ImmutableList<string> Skus, int Version = 0)
        {
            public Cart() : this(ImmutableList<string>.Empty) { }
        }
        """;

    [Theory]
    [InlineData("Cart", CartSource, "Shop.Cart.SessionState.g.cs")]
    [InlineData("ClientCart", ClientCartSource, "Shop.Client.Cart.SessionState.g.cs")]
    [InlineData("NestedStruct", NestedStructSource, "Shop.Preferences.Settings.Theme.SessionState.g.cs")]
    [InlineData("GlobalClass", GlobalClassSource, "Visits.SessionState.g.cs")]
    public void Generated_source_matches_the_expected_file_and_compiles_without_warnings(string name, string source, string hintName)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputProblems);
        var (actualHint, generated) = Assert.Single(run.Sources);
        Assert.Equal(hintName, actualHint);

        // The expected files hold a placeholder for the generator's own version, so a release does not change them.
        var version = typeof(SessionStateGenerator).Assembly.GetName().Version!.ToString(3);
        var text = generated.Replace($"\"TypedSessions.Generator\", \"{version}\"", "\"TypedSessions.Generator\", \"{version}\"", StringComparison.Ordinal);
        Assert.NotEqual(generated, text);

        var expectedPath = Path.Combine(GeneratorHarness.ExpectedDirectory(), name + ".g.cs");
        if (Environment.GetEnvironmentVariable("TYPEDSESSIONS_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(expectedPath, text);
        }

        Assert.True(File.Exists(expectedPath), $"Missing {expectedPath}; run with TYPEDSESSIONS_UPDATE_EXPECTED=1 to create it.");
        Assert.Equal(File.ReadAllText(expectedPath), text);
    }

    [Theory]
    [InlineData("public record NotPartial(int X = 0);")]
    [InlineData("public partial record NoDefault(int X);")]
    [InlineData("public partial record Unsupported(object Thing = null!);")]
    [InlineData("public partial record Generic<T>(int X = 0);")]
    public void Types_the_generator_cannot_handle_are_skipped_not_half_generated(string declaration)
    {
        var run = GeneratorHarness.Run("using TypedSessions;\n[SessionState]\n" + declaration);

        Assert.Empty(run.Sources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var first = GeneratorHarness.Run(CartSource).Sources;
        var second = GeneratorHarness.Run(CartSource).Sources;

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_key_defaults_to_the_type_name_and_can_be_given()
    {
        var run = GeneratorHarness.Run(GlobalClassSource, NestedStructSource);
        var texts = string.Join("\n", run.Sources.Select(static s => s.Text));

        Assert.Contains("SessionKey => \"visits\";", texts, StringComparison.Ordinal);
        Assert.Contains("SessionKey => \"Theme\";", texts, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), static d => d.Severity == DiagnosticSeverity.Error);
    }
}
