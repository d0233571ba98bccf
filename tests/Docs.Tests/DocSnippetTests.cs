using System.Text;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Docs.Tests;

/// <summary>
/// Every C#, Razor and cshtml block of README.md and docs/*.md compiles as written: each document's
/// blocks become one web project (<see cref="SnippetProjects"/>), and one <c>dotnet build</c> builds
/// them all against the repository's projects. How a block says what it is:
/// <see cref="MarkdownSnippets"/>. A block that stops compiling fails this test with the compiler's
/// error at the block's line in the markdown file.
/// </summary>
public sealed class DocSnippetTests
{
    private static readonly string[] Documents =
    [
        "README.md",
        .. Directory.GetFiles(Path.Combine(DotnetCli.RepositoryRoot, "docs"), "*.md")
            .Select(f => Path.GetRelativePath(DotnetCli.RepositoryRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void Every_code_block_says_what_it_is_compiled_as()
    {
        var problems = Documents.SelectMany(d => Read(d).Problems).ToList();

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Every_code_block_compiles()
    {
        var directory = Directory.CreateTempSubdirectory("typedsessions-snippets-").FullName;
        File.Copy(Path.Combine(DotnetCli.RepositoryRoot, "Directory.Packages.props"), Path.Combine(directory, "Directory.Packages.props"));
        File.Copy(Path.Combine(DotnetCli.RepositoryRoot, "global.json"), Path.Combine(directory, "global.json"));
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        var solution = new StringBuilder("<Solution>\n");
        foreach (var document in Documents)
        {
            var snippets = Read(document).Snippets;
            if (snippets.Count == 0)
            {
                continue; // a page of prose and diagrams only (architecture.md)
            }

            var name = SnippetProjects.ProjectName(document);
            var project = SnippetProjects.Write(Path.Combine(directory, name), name, snippets);
            solution.Append($"  <Project Path=\"{Path.GetRelativePath(directory, project)}\" />\n");
        }

        File.WriteAllText(Path.Combine(directory, "snippets.slnx"), solution.Append("</Solution>\n").ToString());

        // The repository's projects were built with this test project; the snippets only reference them, in
        // the same configuration (a solution build would otherwise give projects outside it the default one).
        var (exitCode, output) = await DotnetCli.RunAsync(directory, TimeSpan.FromMinutes(5),
            "build", "snippets.slnx", "-c", DotnetCli.Configuration, "-p:BuildProjectReferences=false", "-p:ShouldUnsetParentConfigurationAndPlatform=false", "-clp:ErrorsOnly;NoSummary");

        Assert.True(exitCode == 0, $"The docs' snippets do not compile (projects kept in {directory}):\n{output}");
        Directory.Delete(directory, recursive: true);
    }

    private static (IReadOnlyList<MarkdownSnippet> Snippets, IReadOnlyList<string> Problems) Read(string document) =>
        MarkdownSnippets.Read(document, File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot, document)));
}
