using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedSessions.Generator.Helpers;

namespace TypedSessions.Generator.Shapes;

/// <summary>
/// Which members of an object type are stored, and which constructor reads them back. These are the
/// rules of one object; <see cref="TypeGraphWalker"/> applies them to every object it reaches.
/// </summary>
/// <remarks>
/// Accessibility is judged from the state type, not from the object: the generated serializer is
/// nested in the state, so what the state can see is what the serializer can call.
/// </remarks>
internal sealed class ObjectMembers
{
    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol _state;
    private readonly KnownTypeSymbols _known;

    public ObjectMembers(Compilation compilation, INamedTypeSymbol state, KnownTypeSymbols known)
    {
        _compilation = compilation;
        _state = state;
        _known = known;
    }

    /// <summary>Public instance properties and fields, base types first, in declaration order.</summary>
    public static List<(ISymbol Symbol, ITypeSymbol Type)> Candidates(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            chain.Push(t);
        }

        var result = new List<(ISymbol, ITypeSymbol)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in chain)
        {
            foreach (var symbol in t.GetMembers())
            {
                if (symbol.IsStatic || symbol.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                switch (symbol)
                {
                    case IPropertySymbol { IsIndexer: false, GetMethod: not null } property
                        when property.Name != "EqualityContract" && seen.Add(property.Name):
                        result.Add((property, property.Type));
                        break;
                    case IFieldSymbol { IsConst: false, AssociatedSymbol: null } field
                        when seen.Add(field.Name):
                        result.Add((field, field.Type));
                        break;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The constructor with the most parameters in which every parameter names a member (records'
    /// primary constructors are the usual match); with none, a parameterless one; else null.
    /// </summary>
    public IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<(ISymbol Symbol, ITypeSymbol Type)> members) =>
        type.InstanceConstructors
            .Where(c => IsAccessible(c) && !IsCopyConstructor(c, type))
            .Where(c => c.Parameters.All(p => members.Any(m => Matches(p, m.Symbol, m.Type))))
            .OrderByDescending(static c => c.Parameters.Length)
            .FirstOrDefault();

    /// <summary>Whether <c>new T()</c> compiles: a struct, a parameterless constructor, or one whose parameters are all optional.</summary>
    public bool HasDefaultInstance(INamedTypeSymbol type) =>
        type.IsValueType || type.InstanceConstructors.Any(c =>
            c.Parameters.All(static p => p.IsOptional || p.IsParams) && IsAccessible(c));

    /// <summary>Whether the reader can set the member after construction (an object initializer).</summary>
    public bool IsWritable(ISymbol member) => member switch
    {
        IPropertySymbol { SetMethod: { } setter } => IsAccessible(setter),
        IFieldSymbol { IsReadOnly: false } => true,
        _ => false,
    };

    /// <summary>[FormerName("...")] on a member or on the parameter of a positional record.</summary>
    public List<string> FormerNames(ISymbol symbol) =>
        symbol.GetAttributes()
            .Where(a => _known.FormerNameAttribute is { } former && SymbolEqualityComparer.Default.Equals(a.AttributeClass, former)
                && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string { Length: > 0 })
            .Select(static a => (string)a.ConstructorArguments[0].Value!)
            .ToList();

    /// <summary>A constructor parameter sets a member when it has the member's name (any case) and type.</summary>
    public static bool Matches(IParameterSymbol parameter, ISymbol member, ITypeSymbol memberType) =>
        string.Equals(parameter.Name, member.Name, StringComparison.OrdinalIgnoreCase)
        && SymbolEqualityComparer.Default.Equals(parameter.Type, memberType);

    public bool IsAccessible(ISymbol symbol) => _compilation.IsSymbolAccessibleWithin(symbol, _state);

    private static bool IsCopyConstructor(IMethodSymbol constructor, INamedTypeSymbol type) =>
        constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);
}
