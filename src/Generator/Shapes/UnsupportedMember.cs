using Microsoft.CodeAnalysis;

namespace TypedSessions.Generator.Shapes;

/// <summary>A member (or the state itself) whose type cannot be serialized, and why.</summary>
/// <remarks>
/// It holds symbols, so it never enters the generator's model: only the analyzer reads it, to report
/// on the member's own line.
/// </remarks>
internal sealed record UnsupportedMember(string Path, ISymbol? Member, ITypeSymbol Type, string Reason);
