using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Helpers;

/// <summary>
/// The framework types the generator knows, resolved once per compilation as symbols and compared with
/// <see cref="SymbolEqualityComparer"/>: no display strings, so a type of the same name elsewhere never
/// passes for one of them.
/// </summary>
internal sealed class KnownTypeSymbols
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypeSymbols> Cache = new();

    private readonly (INamedTypeSymbol? Type, ScalarKind Kind)[] _scalars;
    private readonly (INamedTypeSymbol? Definition, ShapeKind Kind)[] _collections;

    private KnownTypeSymbols(Compilation compilation)
    {
        _scalars =
        [
            (Best(compilation, "System.Guid"), ScalarKind.Guid),
            (Best(compilation, "System.DateTimeOffset"), ScalarKind.DateTimeOffset),
            (Best(compilation, "System.DateOnly"), ScalarKind.DateOnly),
            (Best(compilation, "System.TimeOnly"), ScalarKind.TimeOnly),
            (Best(compilation, "System.TimeSpan"), ScalarKind.TimeSpan),
        ];
        _collections =
        [
            (Best(compilation, "System.Collections.Generic.List`1"), ShapeKind.List),
            (Best(compilation, "System.Collections.Generic.IReadOnlyList`1"), ShapeKind.ReadOnlyList),
            (Best(compilation, "System.Collections.Generic.HashSet`1"), ShapeKind.HashSet),
            (Best(compilation, "System.Collections.Generic.Dictionary`2"), ShapeKind.Dictionary),
            (Best(compilation, "System.Collections.Generic.IReadOnlyDictionary`2"), ShapeKind.ReadOnlyDictionary),
            (Best(compilation, "System.Collections.Immutable.ImmutableArray`1"), ShapeKind.ImmutableArray),
            (Best(compilation, "System.Collections.Immutable.ImmutableList`1"), ShapeKind.ImmutableList),
            (Best(compilation, "System.Collections.Immutable.ImmutableHashSet`1"), ShapeKind.ImmutableHashSet),
            (Best(compilation, "System.Collections.Immutable.ImmutableDictionary`2"), ShapeKind.ImmutableDictionary),
        ];
        FormerNameAttribute = Best(compilation, TypeNames.FormerNameAttributeMetadataName);
    }

    /// <summary><c>[FormerName]</c>, or null when the compilation does not reference TypedSessions.</summary>
    public INamedTypeSymbol? FormerNameAttribute { get; }

    public static KnownTypeSymbols For(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypeSymbols(c));

    /// <summary>The scalar kind of a known struct (Guid, DateTimeOffset, DateOnly, TimeOnly, TimeSpan), or None.</summary>
    public ScalarKind ScalarOf(ITypeSymbol type)
    {
        foreach (var (known, kind) in _scalars)
        {
            if (known is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known))
            {
                return kind;
            }
        }

        return ScalarKind.None;
    }

    /// <summary>The collection kind of a generic type definition, or null when it is not a supported collection.</summary>
    public ShapeKind? CollectionKind(INamedTypeSymbol definition)
    {
        foreach (var (known, kind) in _collections)
        {
            if (known is not null && SymbolEqualityComparer.Default.Equals(definition, known))
            {
                return kind;
            }
        }

        return null;
    }

    // The type by its metadata name; when several referenced assemblies define it, the one of the core
    // library, else the first one the compilation can see (as System.Text.Json's generator resolves them).
    private static INamedTypeSymbol? Best(Compilation compilation, string metadataName)
    {
        if (compilation.GetTypeByMetadataName(metadataName) is { } unique)
        {
            return unique;
        }

        var candidates = compilation.GetTypesByMetadataName(metadataName);
        var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
        return candidates.FirstOrDefault(t => SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, core))
            ?? candidates.FirstOrDefault(static t => t.DeclaredAccessibility == Accessibility.Public);
    }
}
