using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedSessions.Generator.Tests;

/// <summary>Runs the generator over source text with CSharpGeneratorDriver, as the compiler does.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The test host's own framework (the trusted platform assemblies) plus the runtime library.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Select(static p => MetadataReference.CreateFromFile(p)),
            MetadataReference.CreateFromFile(typeof(ISessionState<>).Assembly.Location)];
    });

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select(static s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(params string[] sources) => Run(sources, []);

    /// <summary>As <see cref="Run(string[])"/>, with more assemblies referenced (a library compiled apart).</summary>
    public static GeneratorRun Run(string[] sources, MetadataReference[] references)
    {
        var compilation = Compile(sources).AddReferences(references);
        var driver = CSharpGeneratorDriver.Create(
            [new SessionStateGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, compilation, output, diagnostics);
    }

    /// <summary>The folder of checked-in expected files, in the source tree (not the build output).</summary>
    public static string ExpectedDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Expected");
}

internal sealed record GeneratorRun(CSharpGeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IReadOnlyList<(string HintName, string Text)> Sources =>
        [.. Driver.GetRunResult().Results.SelectMany(static r => r.GeneratedSources)
            .Select(static s => (s.HintName, s.SourceText.ToString()))];

    /// <summary>Errors and warnings of the compilation with the generated code added.</summary>
    public IReadOnlyList<Diagnostic> OutputProblems =>
        [.. Output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning)];
}
