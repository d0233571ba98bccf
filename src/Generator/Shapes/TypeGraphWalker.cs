using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedSessions.Generator.Helpers;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Shapes;

/// <summary>
/// Walks a state's type graph and builds a <see cref="TypeShape"/> for every type it reaches.
/// It is the single authority on which types are supported: the generator uses its shapes and the
/// analyzer its <see cref="Unsupported"/> findings.
/// </summary>
/// <remarks>
/// This is the one place where symbols become model: what leaves it (<see cref="Shapes"/>) is plain
/// data. The schema fingerprint (<see cref="SchemaFingerprint"/>) and the C# text (the emitter) are
/// computed from that data, not from symbols.
/// </remarks>
internal sealed class TypeGraphWalker
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly INamedTypeSymbol _state;
    private readonly Compilation _compilation;
    private readonly KnownTypeSymbols _known;
    private readonly ObjectMembers _objects;
    private readonly Dictionary<string, TypeShape?> _shapes = new(StringComparer.Ordinal);

    public TypeGraphWalker(INamedTypeSymbol state, Compilation compilation)
    {
        _state = state;
        _compilation = compilation;
        _known = KnownTypeSymbols.For(compilation);
        _objects = new ObjectMembers(compilation, state, _known);
    }

    /// <summary>Members or types that cannot be serialized, with the reason.</summary>
    public List<UnsupportedMember> Unsupported { get; } = new();

    /// <summary>Members whose type is a mutable collection (in-place changes are not saved).</summary>
    public List<(ISymbol Member, ShapeKind Kind)> MutableMembers { get; } = new();

    public IEnumerable<TypeShape> Shapes => _shapes.Values.Where(static s => s is not null).Cast<TypeShape>();

    /// <summary>Whether no value of the state can change once built, at any depth (see <see cref="DeepImmutability"/>).</summary>
    public bool IsRootDeeplyImmutable() => new DeepImmutability(_compilation.Assembly, ScalarOf, CollectionKind).Of(_state);

    /// <summary>Builds the shape of the state type itself.</summary>
    public string? BuildRoot() => BuildObject(_state, NullableAnnotation.NotAnnotated, path: _state.Name, isRoot: true);

    /// <summary>Returns the shape id for <paramref name="type"/>, or null when it is not supported.</summary>
    private string? Build(ITypeSymbol type, string path, ISymbol? member)
    {
        var annotation = type.NullableAnnotation;
        var isNullableRef = type.IsReferenceType && annotation == NullableAnnotation.Annotated;

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            var inner = Build(nullable.TypeArguments[0], path, member);
            return inner is null ? null : Add(type, ShapeKind.Nullable, ScalarKind.None, isNullable: true, elementId: inner);
        }

        var scalar = ScalarOf(type);
        if (scalar != ScalarKind.None)
        {
            return Add(type, ShapeKind.Scalar, scalar, isNullableRef);
        }

        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return Add(type, ShapeKind.Enum, ScalarOf(underlying), isNullable: false);
        }

        if (type is IArrayTypeSymbol array)
        {
            if (array.Rank != 1)
            {
                return Fail(path, member, type, "multi-dimensional arrays are not supported; use an array of arrays or a list");
            }

            var element = Build(array.ElementType, path + "[]", member);
            return element is null ? null : Add(type, ShapeKind.Array, ScalarKind.None, isNullableRef, element);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            var kind = CollectionKind(generic.OriginalDefinition);
            if (kind is not null)
            {
                return BuildCollection(generic, kind.Value, isNullableRef, path, member);
            }
        }

        return BuildObject(type, annotation, path, isRoot: false, member);
    }

    private string? BuildCollection(INamedTypeSymbol type, ShapeKind kind, bool isNullableRef, string path, ISymbol? member)
    {
        var isMap = kind is ShapeKind.Dictionary or ShapeKind.ReadOnlyDictionary or ShapeKind.ImmutableDictionary;
        string? keyId = null;
        if (isMap)
        {
            var keyType = type.TypeArguments[0];
            var keyScalar = ScalarOf(keyType);
            var keyIsEnum = keyType.TypeKind == TypeKind.Enum;
            if ((keyScalar == ScalarKind.None || keyScalar == ScalarKind.Bytes) && !keyIsEnum)
            {
                return Fail(path, member, keyType, "dictionary keys must be a primitive, string, Guid, date or time type, or an enum");
            }

            keyId = Build(keyType.WithNullableAnnotation(NullableAnnotation.NotAnnotated), path + ".Key", member);
        }

        var elementType = type.TypeArguments[isMap ? 1 : 0];
        var elementId = Build(elementType, path + (isMap ? ".Value" : "[]"), member);
        if (elementId is null || (isMap && keyId is null))
        {
            return null;
        }

        return Add(type, kind, ScalarKind.None, isNullableRef, elementId, keyId);
    }

    private string? BuildObject(ITypeSymbol type, NullableAnnotation annotation, string path, bool isRoot, ISymbol? member = null)
    {
        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return Fail(path, member, type, DescribeUnsupported(type));
        }

        if (named.IsAbstract || named.IsStatic || named.IsRefLikeType || named.IsTupleType || named.IsAnonymousType)
        {
            return Fail(path, member, type, "abstract, static, ref struct, tuple and anonymous types are not supported");
        }

        if (named.SpecialType == SpecialType.System_Object || IsFrameworkType(named))
        {
            return Fail(path, member, type, $"'{named.ToDisplayString()}' is not a supported session state member type");
        }

        if (ContainsTypeParameter(named))
        {
            return Fail(path, member, type, "open generic types are not supported");
        }

        if (!isRoot && !_objects.IsAccessible(named))
        {
            return Fail(path, member, type, $"'{named.Name}' is not accessible from the state type");
        }

        var nullable = named.IsReferenceType && annotation == NullableAnnotation.Annotated;
        var id = IdOf(named, nullable);
        if (_shapes.ContainsKey(id))
        {
            return id; // already built, or being built (a type that refers to itself)
        }

        // Reserve the id before walking members, so a type that refers to itself terminates.
        _shapes[id] = null;

        var properties = ObjectMembers.Candidates(named);
        var constructor = _objects.ChooseConstructor(named, properties);
        var members = new List<MemberSpec>();
        var ok = true;
        foreach (var (symbol, memberType) in properties)
        {
            var parameterIndex = -1;
            DefaultValueSpec? defaultValue = null;
            var formerNames = _objects.FormerNames(symbol);
            if (constructor is not null)
            {
                var parameter = constructor.Parameters.FirstOrDefault(p => ObjectMembers.Matches(p, symbol, memberType));
                if (parameter is not null)
                {
                    parameterIndex = parameter.Ordinal;
                    defaultValue = parameter.HasExplicitDefaultValue ? DefaultValueOf(parameter) : null;
                    formerNames.AddRange(_objects.FormerNames(parameter));
                }
            }

            if (parameterIndex < 0 && !_objects.IsWritable(symbol))
            {
                continue; // computed or get-only: not part of the state
            }

            var memberShape = Build(memberType, path + "." + symbol.Name, symbol);
            if (memberShape is not null && _shapes[memberShape] is { Kind: ShapeKind.List or ShapeKind.HashSet or ShapeKind.Dictionary or ShapeKind.Array } mutable)
            {
                MutableMembers.Add((symbol, mutable.Kind));
            }

            if (memberShape is null)
            {
                ok = false;
                continue;
            }

            var former = formerNames.Distinct(StringComparer.Ordinal).Where(n => n != symbol.Name).ToEquatableArray();
            members.Add(new MemberSpec(symbol.Name, memberShape, parameterIndex, defaultValue, former));
        }

        if (!ok)
        {
            return null;
        }

        var hasDefault = _objects.HasDefaultInstance(named);
        if (constructor is null && !hasDefault)
        {
            return Fail(path, member, type, $"'{named.Name}' has no constructor that sets its members and no parameterless constructor");
        }

        var shape = new TypeShape(
            id,
            named.WithNullableAnnotation(nullable ? NullableAnnotation.Annotated : NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
            SchemaName: named.ToDisplayString(),
            ShapeKind.Object,
            ScalarKind.None,
            named.IsReferenceType,
            nullable,
            ElementId: null,
            KeyId: null,
            members.ToEquatableArray(),
            hasDefault,
            constructor?.Parameters.Length ?? 0);
        _shapes[id] = shape;
        return id;
    }

    /// <summary>Whether <c>new T()</c> compiles: a struct, a parameterless constructor, or one whose parameters are all optional.</summary>
    public bool HasDefaultInstance(INamedTypeSymbol type) => _objects.HasDefaultInstance(type);

    // The parameter's default as a value and the types it is written as; the emitter writes the C#.
    private static DefaultValueSpec DefaultValueOf(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        var enumType = type.TypeKind == TypeKind.Enum ? type
            : type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n && n.TypeArguments[0].TypeKind == TypeKind.Enum ? n.TypeArguments[0]
            : null;
        return new DefaultValueSpec(
            new ConstantValue(parameter.ExplicitDefaultValue),
            type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            enumType?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    private string Add(ITypeSymbol type, ShapeKind kind, ScalarKind scalar, bool isNullable, string? elementId = null, string? keyId = null)
    {
        var id = IdOf(type, isNullable);
        if (!_shapes.ContainsKey(id))
        {
            var typeName = kind == ShapeKind.Nullable || !type.IsReferenceType
                ? type.ToDisplayString(TypeFormat)
                : type.WithNullableAnnotation(isNullable ? NullableAnnotation.Annotated : NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
            _shapes[id] = new TypeShape(id, typeName, SchemaName: typeName, kind, scalar, type.IsReferenceType, isNullable, elementId, keyId,
                EquatableArray<MemberSpec>.Empty, HasDefaultFactory: false, ConstructorParameterCount: 0);
        }

        return id;
    }

    private string? Fail(string path, ISymbol? member, ITypeSymbol type, string reason)
    {
        Unsupported.Add(new UnsupportedMember(path, member, type, reason));
        return null;
    }

    private static string IdOf(ITypeSymbol type, bool isNullable)
    {
        var full = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat) + (isNullable ? "?" : "");
        var readable = new System.Text.StringBuilder();
        foreach (var c in type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))
        {
            readable.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return readable.Append(isNullable ? "_N" : "").Append('_')
            .Append(Fnv.Hash32(full).ToString("x8", CultureInfo.InvariantCulture)).ToString();
    }

    private ScalarKind ScalarOf(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return ScalarKind.Boolean;
            case SpecialType.System_SByte: return ScalarKind.SByte;
            case SpecialType.System_Byte: return ScalarKind.Byte;
            case SpecialType.System_Int16: return ScalarKind.Int16;
            case SpecialType.System_UInt16: return ScalarKind.UInt16;
            case SpecialType.System_Int32: return ScalarKind.Int32;
            case SpecialType.System_UInt32: return ScalarKind.UInt32;
            case SpecialType.System_Int64: return ScalarKind.Int64;
            case SpecialType.System_UInt64: return ScalarKind.UInt64;
            case SpecialType.System_Char: return ScalarKind.Char;
            case SpecialType.System_Single: return ScalarKind.Single;
            case SpecialType.System_Double: return ScalarKind.Double;
            case SpecialType.System_Decimal: return ScalarKind.Decimal;
            case SpecialType.System_String: return ScalarKind.String;
            case SpecialType.System_DateTime: return ScalarKind.DateTime;
            case SpecialType.System_IntPtr: return ScalarKind.IntPtr;
            case SpecialType.System_UIntPtr: return ScalarKind.UIntPtr;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return ScalarKind.Bytes;
        }

        return _known.ScalarOf(type);
    }

    private ShapeKind? CollectionKind(INamedTypeSymbol definition) => _known.CollectionKind(definition);

    internal static bool IsFrameworkType(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        return ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)
            || ns == "Microsoft" || ns.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    private static bool ContainsTypeParameter(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeArguments.Any(static a => a.TypeKind == TypeKind.TypeParameter))
            {
                return true;
            }
        }

        return false;
    }

    private static string DescribeUnsupported(ITypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Interface => $"interface '{type.ToDisplayString()}' is not supported; use a concrete type or a supported collection",
        TypeKind.Delegate => "delegates cannot be stored in a session",
        TypeKind.TypeParameter => "generic type parameters are not supported",
        TypeKind.Dynamic => "'dynamic' is not supported",
        TypeKind.Pointer or TypeKind.FunctionPointer => "pointers are not supported",
        _ => $"'{type.ToDisplayString()}' is not a supported session state member type",
    };
}
