using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSessions.CodeFixes;
using TypedSessions.Generator.Diagnostics;

namespace TypedSessions.Generator.Tests;

/// <summary>The fix for TS0001, applied in a real workspace as the IDE applies it.</summary>
public class CodeFixTests
{
    [Theory]
    [InlineData(
        "[SessionState(\"cart\")] public record Cart(int Items = 0);",
        "[SessionState(\"cart\")] public partial record Cart(int Items = 0);")]
    [InlineData(
        "[SessionState] record struct Point(int X = 0);",
        "[SessionState] partial record struct Point(int X = 0);")]
    [InlineData(
        "public static class Outer\n{\n    // the state\n    [SessionState] public sealed class Inner { public int X { get; init; } }\n}",
        "public static partial class Outer\n{\n    // the state\n    [SessionState] public sealed partial class Inner { public int X { get; init; } }\n}")]
    [InlineData(
        "class Outer { [SessionState] public partial record Inner(int X = 0); }",
        "partial class Outer { [SessionState] public partial record Inner(int X = 0); }")]
    public async Task Adds_partial_where_it_is_missing_and_the_diagnostic_goes_away(string source, string expected)
    {
        const string header = "using TypedSessions;\n";
        var document = CreateDocument(header + source);
        var diagnostic = Assert.Single(await AnalyzeAsync(document));
        Assert.Equal(MakePartialCodeFix.DiagnosticId, diagnostic.Id);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new MakePartialCodeFix().RegisterCodeFixesAsync(context);
        var action = Assert.Single(actions);
        var operation = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        var fixedDocument = operation.ChangedSolution.GetDocument(document.Id)!;

        Assert.Equal(header + expected, (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await AnalyzeAsync(fixedDocument));
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var compilation = GeneratorHarness.Compile();
        var project = workspace.AddProject("Consumer", LanguageNames.CSharp)
            .WithCompilationOptions(compilation.Options)
            .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest))
            .WithMetadataReferences(compilation.References);
        return project.AddDocument("State.cs", source);
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers([new SessionStateAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }
}
