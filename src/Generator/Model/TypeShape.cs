using TypedSessions.Generator.Helpers;

namespace TypedSessions.Generator.Model;

/// <summary>How one type is written and read. Shapes refer to each other by <see cref="Id"/>.</summary>
/// <param name="Id">Unique within a state; names the generated Write_/Read_ methods.</param>
/// <param name="TypeName">The type as C# source, global::-qualified, nullable annotations included.</param>
/// <param name="SchemaName">
/// The name <see cref="Shapes.SchemaFingerprint"/> hashes: <paramref name="TypeName"/>, except for objects,
/// which are hashed by their display name (no global::). Carried as text because the fingerprint is a
/// stored value: it must keep hashing exactly the name it always has.
/// </param>
/// <param name="Kind">The kind of type.</param>
/// <param name="Scalar">For scalars, which one; for enums, the underlying integer type.</param>
/// <param name="IsReferenceType">Whether values can be null references.</param>
/// <param name="IsNullable">Whether null is a legal value (annotated reference type or Nullable&lt;T&gt;).</param>
/// <param name="ElementId">Element shape (collections), value shape (dictionaries) or underlying shape (Nullable&lt;T&gt;).</param>
/// <param name="KeyId">Key shape of dictionaries.</param>
/// <param name="Members">Members of objects, in declaration order.</param>
/// <param name="HasDefaultFactory">Objects: <c>new T()</c> compiles, so missing members can take the default instance's values.</param>
/// <param name="ConstructorParameterCount">Objects: the number of parameters of the constructor used to read.</param>
internal sealed record TypeShape(
    string Id,
    string TypeName,
    string SchemaName,
    ShapeKind Kind,
    ScalarKind Scalar,
    bool IsReferenceType,
    bool IsNullable,
    string? ElementId,
    string? KeyId,
    EquatableArray<MemberSpec> Members,
    bool HasDefaultFactory,
    int ConstructorParameterCount);

/// <summary>One serialized member of an object.</summary>
/// <param name="Name">The member's C# name.</param>
/// <param name="ShapeId">The member type's shape.</param>
/// <param name="ConstructorParameterIndex">Position in the reading constructor, or -1 when set by an object initializer.</param>
/// <param name="DefaultValue">The constructor parameter's default value, when it has one.</param>
/// <param name="FormerNames">Earlier names whose stored data this member reads ([FormerName]).</param>
internal sealed record MemberSpec(
    string Name,
    string ShapeId,
    int ConstructorParameterIndex,
    DefaultValueSpec? DefaultValue,
    EquatableArray<string> FormerNames);

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
