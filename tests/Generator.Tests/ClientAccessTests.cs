using System.Reflection;
using System.Runtime.CompilerServices;
using TypedSessions.Generator.Tests.States;
using TypedSessions.Serialization;

namespace TypedSessions.Generator.Tests;

/// <summary>
/// <c>ClientAccess</c>: the generated member, the module initializer that registers a client-accessible
/// state in <see cref="SessionStateCatalog"/>, and the catalog's rules (idempotent, an ambiguous key finds nothing).
/// </summary>
public class ClientAccessTests
{
    [Fact]
    public void A_client_accessible_state_registers_itself_when_its_module_initializes_and_a_server_only_one_does_not()
    {
        var run = GeneratorHarness.Run("""
            using TypedSessions;

            namespace Shop;

            [SessionState("cart", ClientAccess = SessionClientAccess.ReadWrite)]
            public partial record Cart(int Count = 0);

            public static partial class Panels
            {
                [SessionState("panel-layout", ClientAccess = SessionClientAccess.ReadOnly)]
                internal partial record struct Layout(int Columns = 2);
            }

            [SessionState("server-only")]
            public partial record ServerOnly(int Count = 0);
            """);
        Assert.Empty(run.OutputProblems);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var assembly = Assembly.Load(image.ToArray());
        Assert.False(SessionStateCatalog.TryGet("cart", out _));
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        Assert.True(SessionStateCatalog.TryGet("cart", out var cart));
        Assert.Equal((SessionClientAccess.ReadWrite, "Shop.Cart"), (cart.ClientAccess, cart.StateType.FullName));
        Assert.Equal(cart.StateType, cart.Accept(new TypeOfVisitor()));

        Assert.True(SessionStateCatalog.TryGet("panel-layout", out var layout));
        Assert.Equal((SessionClientAccess.ReadOnly, "Shop.Panels+Layout", true), (layout.ClientAccess, layout.StateType.FullName, layout.StateType.IsValueType));

        Assert.False(SessionStateCatalog.TryGet("server-only", out _));
        Assert.DoesNotContain(SessionStateCatalog.All, static d => d.Key == "server-only");
    }

    [Fact]
    public void Every_state_states_its_access_and_only_client_accessible_ones_get_a_module_initializer()
    {
        var run = GeneratorHarness.Run("""
            using TypedSessions;
            [SessionState("a")] public partial record A(int X = 0);
            [SessionState("b", ClientAccess = SessionClientAccess.None)] public partial record B(int X = 0);
            [SessionState("c", ClientAccess = SessionClientAccess.ReadOnly)] public partial record C(int X = 0);
            """);
        var text = run.Sources.ToDictionary(static s => s.HintName, static s => s.Text);

        Assert.Contains("ClientAccess => global::TypedSessions.SessionClientAccess.None;", text["A.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.Contains("ClientAccess => global::TypedSessions.SessionClientAccess.None;", text["B.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.Contains("ClientAccess => global::TypedSessions.SessionClientAccess.ReadOnly;", text["C.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("ModuleInitializer", text["A.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.DoesNotContain("ModuleInitializer", text["B.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.Contains("SessionStateCatalog.Register<global::C>();", text["C.SessionState.g.cs"], StringComparison.Ordinal);
        Assert.Empty(run.OutputProblems);
    }

    [Fact]
    public void A_client_accessible_state_hidden_from_its_assembly_is_skipped_for_the_analyzer_to_report()
    {
        // A module initializer there would not compile; the analyzer reports TS0008 instead.
        var run = GeneratorHarness.Run("""
            using TypedSessions;
            public partial class Outer
            {
                [SessionState("hidden", ClientAccess = SessionClientAccess.ReadWrite)]
                private partial record Hidden(int X = 0);
            }
            """);

        Assert.Empty(run.Sources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void The_states_of_this_assembly_are_registered_by_their_module_initializers()
    {
        Assert.True(SessionStateCatalog.TryGet("catalog-readonly", out var readOnly));
        Assert.Equal((typeof(CatalogReadOnly), SessionClientAccess.ReadOnly), (readOnly.StateType, readOnly.ClientAccess));
        Assert.True(SessionStateCatalog.TryGet("catalog-layout", out var layout));
        Assert.Equal((typeof(CatalogPanels.Layout), SessionClientAccess.ReadWrite), (layout.StateType, layout.ClientAccess));
        Assert.False(SessionStateCatalog.TryGet("catalog-server-only", out _));
    }

    [Fact]
    public void Registering_again_is_harmless_from_any_number_of_threads()
    {
        Assert.True(SessionStateCatalog.TryGet("catalog-readonly", out var before));

        Parallel.For(0, 64, static _ => SessionStateCatalog.Register<CatalogReadOnly>());

        Assert.True(SessionStateCatalog.TryGet("catalog-readonly", out var after));
        Assert.Same(before, after);
        Assert.Single(SessionStateCatalog.All, static d => d.Key == "catalog-readonly");
    }

    [Fact]
    public void A_server_only_state_is_not_registered_even_when_asked()
    {
        SessionStateCatalog.Register<CatalogServerOnly>();

        Assert.False(SessionStateCatalog.TryGet("catalog-server-only", out _));
        Assert.DoesNotContain(SessionStateCatalog.All, static d => d.StateType == typeof(CatalogServerOnly));
    }

    [Fact]
    public void A_key_two_types_claim_finds_neither_and_stays_ambiguous()
    {
        SessionStateCatalog.Register<CatalogClashSecond>();
        SessionStateCatalog.Register<CatalogClashFirst>();

        Assert.False(SessionStateCatalog.TryGet("catalog-clash", out var descriptor));
        Assert.Null(descriptor);
        Assert.DoesNotContain(SessionStateCatalog.All, static d => d.Key == "catalog-clash");
    }

    [Fact]
    public void Keys_that_differ_only_in_case_are_one_ambiguous_key_and_lookup_is_exact()
    {
        Assert.False(SessionStateCatalog.TryGet("catalog-case", out _));
        Assert.False(SessionStateCatalog.TryGet("Catalog-Case", out _));
        Assert.False(SessionStateCatalog.TryGet("CATALOG-READONLY", out _));
        Assert.DoesNotContain(SessionStateCatalog.All, static d => d.Key.Equals("catalog-case", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_visitor_gets_the_state_type_as_its_type_parameter()
    {
        Assert.True(SessionStateCatalog.TryGet("catalog-readonly", out var descriptor));

        Assert.Equal(typeof(CatalogReadOnly), descriptor.Accept(new TypeOfVisitor()));
        Assert.Equal("catalog-readonly", descriptor.Accept(new KeyVisitor()));
    }

    private sealed class TypeOfVisitor : ISessionStateVisitor<Type>
    {
        public Type Visit<T>() where T : ISessionState<T> => typeof(T);
    }

    private sealed class KeyVisitor : ISessionStateVisitor<string>
    {
        public string Visit<T>() where T : ISessionState<T> => T.SessionKey;
    }
}
