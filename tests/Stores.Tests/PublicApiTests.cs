using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedSessions.Stores.Tests;

/// <summary>
/// The public surface of each shipped package, checked against a baseline beside this file
/// (<c>PublicApi/*.txt</c>): a change to the surface fails this test until the baseline says it, so it
/// shows in the diff and in review. After an intended change, refresh the baselines with
/// <c>TYPEDSESSIONS_UPDATE_EXPECTED=1 dotnet test tests/Stores.Tests --filter PublicApiTests</c>.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("TypedSessions.Abstractions", typeof(ISession<>))]
    [InlineData("TypedSessions", typeof(TypedSessionsOptions))]
    [InlineData("TypedSessions.Sqlite", typeof(Sqlite.SqliteSessionStore))]
    [InlineData("TypedSessions.Redis", typeof(Redis.RedisSessionStore))]
    [InlineData("TypedSessions.Testing", typeof(Testing.TestSessions))]
    [InlineData("TypedSessions.WebAssembly", typeof(WebAssembly.TypedSessionsWebAssemblyOptions))]
    public void The_public_surface_matches_its_baseline(string package, Type anyType)
    {
        var surface = Describe(anyType.Assembly);
        var baseline = Path.Combine(Here(), "PublicApi", package + ".txt");
        if (Environment.GetEnvironmentVariable("TYPEDSESSIONS_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(baseline, surface);
        }

        Assert.True(File.Exists(baseline), $"No baseline for {package}: run with TYPEDSESSIONS_UPDATE_EXPECTED=1.");
        Assert.Equal(File.ReadAllText(baseline).ReplaceLineEndings("\n"), surface);
    }

    // Each public type, then its public and protected members, in reflection's own words; sorted.
    private static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(static t => t.FullName, StringComparer.Ordinal))
        {
            text.Append($"{Kind(type)} {type.FullName}{Base(type)}\n");
            const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var members = type.GetMembers(Declared)
                .Where(static m => IsVisible(m) && !IsCompilerMade(m))
                .Select(static m => $"  {m.MemberType} {m}")
                .Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                text.Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Kind(Type type) =>
        type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";

    private static string Base(Type type)
    {
        var bases = type.GetInterfaces().Select(static i => i.ToString()).Order(StringComparer.Ordinal).ToList();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Insert(0, b.ToString());
        }

        return bases.Count == 0 ? "" : " : " + string.Join(", ", bases);
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetMethod is { } g && (g.IsPublic || g.IsFamily) || p.SetMethod is { } s && (s.IsPublic || s.IsFamily),
        EventInfo e => e.AddMethod is { } a && (a.IsPublic || a.IsFamily),
        Type t => t.IsNestedPublic || t.IsNestedFamily,
        _ => false,
    };

    // Accessors are listed through their property or event; records' and compilers' helpers are noise.
    private static bool IsCompilerMade(MemberInfo member) =>
        member.IsDefined(typeof(CompilerGeneratedAttribute)) || member is MethodInfo { IsSpecialName: true } m && !m.Name.StartsWith("op_", StringComparison.Ordinal);

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
