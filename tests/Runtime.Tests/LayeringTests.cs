using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace TypedSessions.Runtime.Tests;

/// <summary>
/// The runtime's namespaces depend on each other in one direction only (docs/architecture.md): a
/// source scan of every file's <c>using TypedSessions.*</c> directives and qualified names fails on any
/// dependency the table below does not allow. The abstractions package references nothing of ASP.NET Core.
/// </summary>
public sealed partial class LayeringTests
{
    // What each internal namespace of src/Runtime may use (besides the public TypedSessions and
    // TypedSessions.Serialization namespaces of the abstractions package). Hosting and the DI and app
    // builder namespaces compose everything and may use anything.
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["TypedSessions"] = ["TypedSessions.Stores"],
        ["TypedSessions.Stores"] = [],
        ["TypedSessions.Diagnostics"] = ["TypedSessions.Stores"],
        ["TypedSessions.Cookies"] = ["TypedSessions.Stores", "TypedSessions.Diagnostics"],
        ["TypedSessions.Stores.Cookie"] = ["TypedSessions.Stores", "TypedSessions.Cookies", "TypedSessions.Diagnostics"],
        ["TypedSessions.Users"] = ["TypedSessions.Stores", "TypedSessions.Diagnostics", "TypedSessions.Cookies"],
        ["TypedSessions.Core"] = ["TypedSessions.Stores", "TypedSessions.Diagnostics", "TypedSessions.Cookies", "TypedSessions.Users"],
        ["TypedSessions.Http"] = [],
        ["TypedSessions.ClientApi"] = ["TypedSessions.Stores", "TypedSessions.Diagnostics", "TypedSessions.Cookies", "TypedSessions.Users", "TypedSessions.Core", "TypedSessions.Http"],
        ["TypedSessions.Blazor"] = ["TypedSessions.Stores", "TypedSessions.Diagnostics", "TypedSessions.Cookies", "TypedSessions.Users", "TypedSessions.Core"],
    };

    private static readonly string[] Public = ["TypedSessions", "TypedSessions.Serialization"];

    [Fact]
    public void Runtime_namespaces_depend_only_downwards()
    {
        var violations = new List<string>();
        foreach (var file in SourceFiles("src/Runtime"))
        {
            var text = File.ReadAllText(file);
            var ns = Namespace().Match(text).Groups[1].Value;
            if (!Allowed.TryGetValue(ns, out var allowed))
            {
                continue; // Hosting, Microsoft.* builder extensions: the composition root
            }

            var used = Using().Matches(text).Select(static m => m.Groups[1].Value)
                .Concat(Qualified().Matches(text).Select(static m => m.Groups[1].Value))
                .Distinct(StringComparer.Ordinal);
            foreach (var dependency in used)
            {
                if (dependency != ns && !ns.StartsWith(dependency + ".", StringComparison.Ordinal)
                    && !allowed.Contains(dependency) && !Public.Contains(dependency))
                {
                    violations.Add($"{Path.GetRelativePath(Root(), file)}: {ns} -> {dependency}");
                }
            }
        }

        Assert.True(violations.Count == 0, "Forbidden dependencies:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_abstractions_reference_nothing_of_aspnetcore()
    {
        var offending = SourceFiles("src/Abstractions")
            .Where(static f => File.ReadAllText(f).Contains("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offending);
        Assert.DoesNotContain("FrameworkReference", File.ReadAllText(Path.Combine(Root(), "src/Abstractions/TypedSessions.Abstractions.csproj")), StringComparison.Ordinal);
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root(), folder), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (TypedSessions[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Using();

    // A qualified use such as TypedSessions.Core.ActiveSession (the namespace, without the type).
    [GeneratedRegex(@"(?<![\w.])(TypedSessions\.(?:Core|Cookies|Diagnostics|Users|Blazor|Hosting|Http|ClientApi|Stores(?:\.Cookie)?))\.[A-Z]\w*(?![\w.]*;)")]
    private static partial Regex Qualified();
}
