using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using TypedSessions.Serialization;

namespace TypedSessions.Generator.Tests;

/// <summary>
/// <c>ClientAccess</c>: the generated <c>ISessionState&lt;T&gt;.ClientAccess</c>, and the module initializer that
/// puts marked states (and only those) in <see cref="SessionStateCatalog"/>, run from a compiled assembly.
/// </summary>
public class ClientAccessTests
{
    private const string Source = """
        using TypedSessions;

        namespace Catalogued;

        [SessionState("ct-read-write", ClientAccess = SessionClientAccess.ReadWrite)]
        public partial record Writable(int Count = 0);

        [SessionState("ct-read-only", ClientAccess = SessionClientAccess.ReadOnly)]
        public partial record struct Readable(string Name = "");

        [SessionState("ct-server-only")]
        public partial record ServerOnly(int Secret = 0);

        public static partial class Outer
        {
            [SessionState("ct-nested", ClientAccess = SessionClientAccess.ReadOnly)]
            public partial record Nested(int X = 0);
        }
        """;

    [Fact]
    public void Marked_states_are_in_the_catalog_once_the_module_initializer_ran_and_unmarked_ones_never()
    {
        var assembly = CompileAndLoad(Source);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        Assert.True(SessionStateCatalog.TryGet("ct-read-write", out var writable));
        Assert.Equal(SessionClientAccess.ReadWrite, writable.ClientAccess);
        Assert.Equal("Catalogued.Writable", writable.StateType.FullName);
        Assert.True(SessionStateCatalog.TryGet("ct-read-only", out var readable));
        Assert.Equal(SessionClientAccess.ReadOnly, readable.ClientAccess);
        Assert.True(SessionStateCatalog.TryGet("ct-nested", out _));
        Assert.False(SessionStateCatalog.TryGet("ct-server-only", out _));
        Assert.DoesNotContain(SessionStateCatalog.All, static d => d.Key == "ct-server-only");

        // The descriptor reaches the state's generic code without reflection.
        Assert.Equal("ct-read-write", writable.Accept(new KeyOf()));
    }

    [Fact]
    public void A_key_claimed_by_two_types_is_found_by_neither()
    {
        var first = CompileAndLoad("""
            using TypedSessions;
            [SessionState("ct-twice", ClientAccess = SessionClientAccess.ReadWrite)]
            public partial record First(int A = 0);
            """);
        var second = CompileAndLoad("""
            using TypedSessions;
            [SessionState("ct-twice", ClientAccess = SessionClientAccess.ReadWrite)]
            public partial record Second(int B = 0);
            """);

        RuntimeHelpers.RunModuleConstructor(first.ManifestModule.ModuleHandle);
        Assert.True(SessionStateCatalog.TryGet("ct-twice", out _));
        RuntimeHelpers.RunModuleConstructor(first.ManifestModule.ModuleHandle); // registering again changes nothing
        Assert.True(SessionStateCatalog.TryGet("ct-twice", out _));

        RuntimeHelpers.RunModuleConstructor(second.ManifestModule.ModuleHandle);
        Assert.False(SessionStateCatalog.TryGet("ct-twice", out _));
    }

    private static Assembly CompileAndLoad(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.OutputProblems);
        using var image = new MemoryStream();
        var emitted = run.Output.WithAssemblyName("Catalogued" + Guid.NewGuid().ToString("N")).Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: false).LoadFromStream(image);
    }

    private sealed class KeyOf : ISessionStateVisitor<string>
    {
        public string Visit<T>() where T : ISessionState<T> => T.SessionKey;
    }
}
