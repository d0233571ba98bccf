using System.Text;
using System.Text.RegularExpressions;
using TypedSessions.Tests.Shared;

namespace TypedSessions.Docs.Tests;

/// <summary>
/// Turns each document's snippets into one web project, as a reader who copied them into a fresh
/// <c>dotnet new web</c> app would have it: implicit usings and nullable on, the TypedSessions package's
/// <c>buildTransitive</c> props imported (so <c>TypedSessions</c> is a global using), the template's
/// <c>_Imports.razor</c>, and warnings as errors. The app is called <c>MyShop</c> (its root namespace);
/// C# blocks without a namespace are in the global one. One project per document, because documents may
/// each define their own <c>Cart</c> under the same key.
/// </summary>
/// <remarks>
/// C# blocks keep their markdown position through <c>#line</c>, so the compiler reports an error at
/// <c>docs/x.md(line,column)</c>. <c>program</c> and <c>statements</c> blocks are compiled as the body
/// of a method (a library needs no entry point, and one document may show several Program.cs); their
/// leading <c>using</c> directives stay at the top of the file.
/// </remarks>
internal static partial class SnippetProjects
{
    private const string RazorImports = """
        @using System.Net.Http
        @using System.Net.Http.Json
        @using Microsoft.AspNetCore.Components.Forms
        @using Microsoft.AspNetCore.Components.Routing
        @using Microsoft.AspNetCore.Components.Web
        @using static Microsoft.AspNetCore.Components.Web.RenderMode
        @using Microsoft.AspNetCore.Components.Web.Virtualization
        @using Microsoft.JSInterop

        """;

    /// <summary>Writes the project of one document's snippets into <paramref name="directory"/>; returns the project's path.</summary>
    public static string Write(string directory, string name, IReadOnlyList<MarkdownSnippet> snippets)
    {
        Directory.CreateDirectory(directory);
        var files = new Dictionary<string, StringBuilder>(StringComparer.Ordinal)
        {
            ["_Imports.razor"] = new(RazorImports),
            ["Pages/_ViewImports.cshtml"] = new("@addTagHelper *, Microsoft.AspNetCore.Mvc.TagHelpers\n"),
        };

        var index = 0;
        foreach (var snippet in snippets)
        {
            index++;
            switch (snippet.Kind)
            {
                case "ignore":
                    break;
                case "program":
                    files[$"Snippet{index}.cs"] = new(Wrap(snippet, $"Snippet{index}", "string[] args"));
                    break;
                case "statements":
                    files[$"Snippet{index}.cs"] = new(Wrap(snippet, $"Snippet{index}", "WebApplicationBuilder builder, WebApplication app, IServiceCollection services"));
                    break;
                default:
                    var file = files.TryGetValue(snippet.Kind, out var existing) ? existing : files[snippet.Kind] = new();
                    file.Append(snippet.Kind.EndsWith(".cs", StringComparison.Ordinal) ? Mapped(snippet, snippet.Code) : snippet.Code + "\n");
                    break;
            }
        }

        foreach (var (path, content) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content.ToString());
        }

        var root = DotnetCli.RepositoryRoot;
        var project = Path.Combine(directory, name + ".csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <Import Project="{root}src/Abstractions/buildTransitive/TypedSessions.Abstractions.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <OutputType>Library</OutputType>
                <!-- The app the docs talk about: its components are MyShop.Components.*, its pages MyShop.Pages.*. -->
                <RootNamespace>MyShop</RootNamespace>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- CS1998: a Program.cs compiled as a method is async whether or not it awaits. -->
                <NoWarn>$(NoWarn);CS1998;NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}src/Runtime/TypedSessions.csproj" />
                <ProjectReference Include="{root}src/Stores/Sqlite/TypedSessions.Sqlite.csproj" />
                <ProjectReference Include="{root}src/Stores/Redis/TypedSessions.Redis.csproj" />
                <ProjectReference Include="{root}src/Testing/TypedSessions.Testing.csproj" />
                <ProjectReference Include="{root}src/WebAssembly/TypedSessions.WebAssembly.csproj" />
                <ProjectReference Include="{root}src/Generator/TypedSessions.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <PackageReference Include="bunit" />
                <PackageReference Include="Microsoft.AspNetCore.Components.WebAssembly.Server" />
                <PackageReference Include="xunit" />
                <PrunePackageReference Include="Microsoft.JSInterop.WebAssembly" Version="99.0.0" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    /// <summary>A project name from a document path: <c>docs/getting-started.md</c> → <c>docs_getting_started</c>.</summary>
    public static string ProjectName(string document) => NonIdentifier().Replace(Path.ChangeExtension(document, null), "_");

    private static string Wrap(MarkdownSnippet snippet, string type, string parameters)
    {
        var lines = snippet.Code.Split('\n');
        var usings = lines.TakeWhile(l => l.Length == 0 || UsingDirective().IsMatch(l)).Count();
        var top = Mapped(snippet, string.Join('\n', lines[..usings]));
        var body = Mapped(snippet with { Line = snippet.Line + usings }, string.Join('\n', lines[usings..]));
        return $$"""
            {{top}}
            internal static class {{type}}
            {
                public static async Task Run({{parameters}})
                {
            {{body}}
                }
            }

            """;
    }

    private static string Mapped(MarkdownSnippet snippet, string code) =>
        $"#line {snippet.Line} \"{Path.Combine(DotnetCli.RepositoryRoot, snippet.Document)}\"\n{code}\n#line default\n";

    [GeneratedRegex(@"^\s*(global\s+)?using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>]+)?\s*;\s*$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"[^A-Za-z0-9]")]
    private static partial Regex NonIdentifier();
}
