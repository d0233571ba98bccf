using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSessions.Generator.Model;
using TypedSessions.Generator.Shapes;

namespace TypedSessions.Generator.Diagnostics;

/// <summary>
/// Reports what the generator skips, on the line to fix. The rules come from <see cref="StateRules"/>
/// and <see cref="TypeGraphWalker"/>, the same code the generator uses, so the two cannot disagree.
/// </summary>
/// <remarks>
/// Diagnostics live here rather than in the generator: an analyzer runs on its own schedule and can
/// look across the compilation (duplicate keys) without breaking the generator's incremental caching.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.NoDefaultInstance,
        DiagnosticDescriptors.UnsupportedMember,
        DiagnosticDescriptors.DuplicateKey,
        DiagnosticDescriptors.Generic,
        DiagnosticDescriptors.MutableCollection,
        DiagnosticDescriptors.InvalidKey,
        DiagnosticDescriptors.ClientAccessHidden,
    ];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(TypeNames.SessionStateAttribute);
            if (attribute is null)
            {
                return;
            }

            var keys = new ConcurrentBag<(string Key, INamedTypeSymbol Type, Location Location)>();
            start.RegisterSymbolAction(ctx => AnalyzeType(ctx, attribute, keys), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(ctx => ReportDuplicateKeys(ctx, keys));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol attributeType, ConcurrentBag<(string, INamedTypeSymbol, Location)> keys)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));
        if (attribute is null)
        {
            return;
        }

        var location = type.Locations.FirstOrDefault() ?? Location.None;
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? location;

        if (!StateRules.IsPartialAll(type))
        {
            var outer = type.ContainingType is not null && StateRules.IsPartial(type) ? " (nor is a type it is nested in)" : "";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, location, type.Name, outer));
        }

        if (StateRules.IsGenericOrInGeneric(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.Generic, location, type.Name));
            return;
        }

        var key = StateRules.KeyOf(type, attribute);
        if (!StateRules.IsValidKey(key))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidKey, attributeLocation, key));
        }
        else
        {
            keys.Add((key, type, attributeLocation));
        }

        var access = StateRules.ClientAccessOf(attribute);
        if (access != ClientAccess.None && StateRules.FirstHiddenFromAssembly(type) is { } hidden)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ClientAccessHidden, attributeLocation, type.Name, access, hidden.Name));
        }

        var walker = new TypeGraphWalker(type, context.Compilation);
        if (!walker.HasDefaultInstance(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoDefaultInstance, location, type.Name));
        }

        walker.BuildRoot();
        foreach (var unsupported in walker.Unsupported)
        {
            var at = unsupported.Member?.Locations.FirstOrDefault() ?? location;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMember, at, unsupported.Path, type.Name, unsupported.Reason));
        }

        foreach (var (member, kind) in walker.MutableMembers)
        {
            var (what, instead) = kind switch
            {
                ShapeKind.List => ("List<T>", "ImmutableList<T> or ImmutableArray<T>"),
                ShapeKind.HashSet => ("HashSet<T>", "ImmutableHashSet<T>"),
                ShapeKind.Dictionary => ("Dictionary<TKey, TValue>", "ImmutableDictionary<TKey, TValue>"),
                _ => ("array", "ImmutableArray<T>"),
            };
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MutableCollection, member.Locations.FirstOrDefault() ?? location, member.Name, what, instead));
        }
    }

    private static void ReportDuplicateKeys(CompilationAnalysisContext context, ConcurrentBag<(string Key, INamedTypeSymbol Type, Location Location)> keys)
    {
        // Keys that differ only in case collide too: they name cookies of the cookie store, and ASP.NET Core
        // matches cookie names ignoring case.
        foreach (var group in keys.GroupBy(static k => k.Key, System.StringComparer.OrdinalIgnoreCase).Where(static g => g.Count() > 1))
        {
            var ordered = group.OrderBy(static k => k.Type.ToDisplayString(), System.StringComparer.Ordinal).ToList();
            foreach (var entry in ordered)
            {
                var other = ordered.First(o => !SymbolEqualityComparer.Default.Equals(o.Type, entry.Type));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateKey, entry.Location, entry.Key, entry.Type.ToDisplayString(), other.Type.ToDisplayString(), other.Key));
            }
        }
    }
}
