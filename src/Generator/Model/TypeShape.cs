using TypedSessions.Generator.Helpers;

namespace TypedSessions.Generator.Model;

/// <summary>How one type is written and read. Shapes refer to each other by <see cref="Id"/>.</summary>
/// <param name="Id">Unique within a state; names the generated Write_/Read_ methods.</param>
/// <param name="TypeName">The type as C# source, global::-qualified, nullable annotations included.</param>
/// <param name="Kind">The kind of type.</param>
/// <param name="Scalar">For scalars, which one; for enums, the underlying integer type.</param>
/// <param name="IsReferenceType">Whether values can be null references.</param>
/// <param name="IsNullable">Whether null is a legal value (annotated reference type or Nullable&lt;T&gt;).</param>
/// <param name="ElementId">Element shape (collections), value shape (dictionaries) or underlying shape (Nullable&lt;T&gt;).</param>
/// <param name="KeyId">Key shape of dictionaries.</param>
/// <param name="Members">Members of objects, in declaration order.</param>
/// <param name="HasDefaultFactory">Objects: <c>new T()</c> compiles, so missing members can take the default instance's values.</param>
/// <param name="ConstructorParameterCount">Objects: the number of parameters of the constructor used to read.</param>
/// <param name="SchemaName">Objects: the type's name as the schema fingerprint spells it.</param>
internal sealed record TypeShape(
    string Id,
    string TypeName,
    ShapeKind Kind,
    ScalarKind Scalar,
    bool IsReferenceType,
    bool IsNullable,
    string? ElementId,
    string? KeyId,
    EquatableArray<MemberSpec> Members,
    bool HasDefaultFactory,
    int ConstructorParameterCount,
    string? SchemaName = null);

/// <summary>One serialized member of an object.</summary>
/// <param name="Name">The member's C# name.</param>
/// <param name="ShapeId">The member type's shape.</param>
/// <param name="ConstructorParameterIndex">Position in the reading constructor, or -1 when set by an object initializer.</param>
/// <param name="Default">The constructor parameter's default value, when it has one.</param>
/// <param name="FormerNames">Earlier names whose stored data this member reads ([FormerName]).</param>
internal sealed record MemberSpec(
    string Name,
    string ShapeId,
    int ConstructorParameterIndex,
    ConstantValue? Default,
    EquatableArray<string> FormerNames);

/// <summary>A compile-time constant (a parameter's default value), as data: the emitter writes it as C#.</summary>
/// <param name="Value">The boxed primitive, string or null; compared by value.</param>
/// <param name="TypeName">The global::-qualified type to cast to: the enum type for enums (also under Nullable), else the parameter's type.</param>
/// <param name="IsEnum">Whether <paramref name="TypeName"/> is an enum.</param>
internal sealed record ConstantValue(object? Value, string TypeName, bool IsEnum);

internal enum ShapeKind
{
    Scalar,
    Enum,
    Nullable,
    Array,
    List,
    ReadOnlyList,
    ImmutableArray,
    ImmutableList,
    HashSet,
    ImmutableHashSet,
    Dictionary,
    ReadOnlyDictionary,
    ImmutableDictionary,
    Object,
}

/// <summary>The scalar types; each has a Write{Name}/Read{Name} pair on the runtime's writer and reader.</summary>
internal enum ScalarKind
{
    None,
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Char,
    Single,
    Double,
    Decimal,
    String,
    Bytes,
    Guid,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    TimeSpan,
    IntPtr,
    UIntPtr,
}
