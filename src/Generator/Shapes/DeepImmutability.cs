using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Shapes;

/// <summary>
/// Whether no value of a state can change once it is built, at any depth: every field of every type it
/// reaches is readonly and of such a type. The runtime then hands one deserialized instance of a stored
/// version to every reader instead of building one per request (<c>ISessionState.IsDeeplyImmutable</c>).
/// </summary>
/// <remarks>
/// A proof, so it says no to whatever it cannot prove: arrays, mutable and read-only-interface collections,
/// framework types it does not know, types of other assemblies (whose private fields the compiler does not
/// load), events, a settable property, a private field that is not readonly.
/// Positional records and records with <c>init</c> properties pass (their backing fields are readonly).
/// Subclasses need no rule: the runtime shares only instances its deserializer built, which are exactly the
/// declared types, never a value a handler wrote.
/// </remarks>
internal sealed class DeepImmutability
{
    private readonly IAssemblySymbol _own;
    private readonly Func<ITypeSymbol, ScalarKind> _scalarOf;
    private readonly Func<INamedTypeSymbol, ShapeKind?> _collectionKind;
    private readonly HashSet<ITypeSymbol> _judging = new(SymbolEqualityComparer.Default);

    public DeepImmutability(IAssemblySymbol own, Func<ITypeSymbol, ScalarKind> scalarOf, Func<INamedTypeSymbol, ShapeKind?> collectionKind)
    {
        _own = own;
        _scalarOf = scalarOf;
        _collectionKind = collectionKind;
    }

    public bool Of(ITypeSymbol type)
    {
        type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (!_judging.Add(type))
        {
            return true; // a type that refers to itself: its other fields decide
        }

        try
        {
            return Judge(type);
        }
        finally
        {
            _judging.Remove(type);
        }
    }

    private bool Judge(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return Of(nullable.TypeArguments[0]);
        }

        var scalar = _scalarOf(type);
        if (scalar != ScalarKind.None)
        {
            return scalar != ScalarKind.Bytes; // a byte[] can be written into
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return false; // arrays, interfaces, delegates...
        }

        if (named.IsGenericType && _collectionKind(named.OriginalDefinition) is { } kind)
        {
            return kind switch
            {
                ShapeKind.ImmutableArray or ShapeKind.ImmutableList or ShapeKind.ImmutableHashSet => Of(named.TypeArguments[0]),
                ShapeKind.ImmutableDictionary => Of(named.TypeArguments[0]) && Of(named.TypeArguments[1]),
                _ => false,
            };
        }

        for (var t = named; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
        {
            if (TypeGraphWalker.IsFrameworkType(t))
            {
                return false; // a framework type, or one built on it: its fields are not ours to judge
            }

            // A type from another assembly shows only what its metadata lets the compiler see: its private
            // fields are not loaded, so nothing about them can be proved.
            if (!SymbolEqualityComparer.Default.Equals(t.ContainingAssembly, _own))
            {
                return false;
            }

            foreach (var member in t.GetMembers())
            {
                switch (member)
                {
                    case IFieldSymbol { IsStatic: false, IsConst: false } field when !field.IsReadOnly || !Of(field.Type):
                        return false;
                    case IEventSymbol { IsStatic: false }:
                        return false; // a field-like event's delegate field is not among the members
                }
            }
        }

        return true;
    }
}
