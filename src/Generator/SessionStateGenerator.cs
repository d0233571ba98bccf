using Microsoft.CodeAnalysis;

namespace TypedSessions.Generator;

/// <summary>
/// Implements <c>ISessionState&lt;T&gt;</c> for every <c>[SessionState]</c> type: its key, schema
/// fingerprint, default instance, and a binary serializer written for that type.
/// </summary>
/// <remarks>
/// The pipeline is: discovery by attribute name → a symbol-free, equatable <see cref="Model.StateSpec"/>
/// (Parser) → source text (Emitter). Types the generator cannot handle are skipped here and reported
/// by the analyzer, so that diagnostics do not depend on (or break) generator caching.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class SessionStateGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var states = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.SessionStateAttribute,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (ctx, ct) => Parser.Parse(ctx, ct))
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.States);

        context.RegisterSourceOutput(states, static (output, spec) =>
            output.AddSource(spec!.HintName, Emitter.Emit(spec)));
    }
}

/// <summary>Names of the tracked pipeline steps, for the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string States = nameof(States);
}
