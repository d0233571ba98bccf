using TypedSessions.Generator.Helpers;

namespace TypedSessions.Generator.Model;

/// <summary>
/// Everything the emitter needs to write one state's partial type.
/// </summary>
/// <remarks>
/// The model is plain data: strings, numbers, enums and <see cref="EquatableArray{T}"/>. It must hold
/// no ISymbol, Compilation, SyntaxNode or Location, and must compare by value; otherwise the
/// incremental pipeline cannot tell that nothing changed and regenerates on every edit.
/// </remarks>
internal sealed record StateSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string DeclarationKeyword,
    string TypeName,
    string FullyQualifiedName,
    string Key,
    uint KeyHash,
    ulong Fingerprint,
    ClientAccess ClientAccess,
    string RootShapeId,
    EquatableArray<TypeShape> Shapes,
    bool IsDeeplyImmutable);

/// <summary>A type the state is nested in (outermost first), re-declared as partial around it.</summary>
internal sealed record ContainingTypeSpec(string DeclarationKeyword, string Name);

/// <summary>The generator's copy of <c>TypedSessions.SessionClientAccess</c> (it never references the runtime); same values.</summary>
internal enum ClientAccess
{
    None = 0,
    ReadOnly = 1,
    ReadWrite = 2,
}
