using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedSessions.Generator.Helpers;
using TypedSessions.Generator.Model;
using TypedSessions.Generator.Shapes;

namespace TypedSessions.Generator;

public sealed partial class SessionStateGenerator
{
    /// <summary>Turns one attributed type into a <see cref="StateSpec"/>, or null when it cannot be generated.</summary>
    internal static class Parser
    {
        public static StateSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax)
            {
                return null;
            }

            // What the analyzer reports (not partial, generic, no default, unsupported members) is skipped here.
            if (!StateRules.IsPartialAll(type) || StateRules.IsGenericOrInGeneric(type))
            {
                return null;
            }

            var key = StateRules.KeyOf(type, context.Attributes[0]);
            if (!StateRules.IsValidKey(key))
            {
                return null;
            }

            // A client-accessible state registers itself from a module initializer, which must be reachable
            // from the whole assembly (TS0008).
            var access = StateRules.ClientAccessOf(context.Attributes[0]);
            if (access != ClientAccess.None && !StateRules.IsAccessibleInAssembly(type))
            {
                return null;
            }

            var walker = new TypeGraphWalker(type, context.SemanticModel.Compilation);
            if (!walker.HasDefaultInstance(type))
            {
                return null;
            }

            var root = walker.BuildRoot();
            cancellationToken.ThrowIfCancellationRequested();
            if (root is null || walker.Unsupported.Count > 0)
            {
                return null;
            }

            var shapes = walker.Shapes.OrderBy(static s => s.Id, System.StringComparer.Ordinal).ToEquatableArray();

            var containing = new System.Collections.Generic.List<ContainingTypeSpec>();
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                containing.Insert(0, new ContainingTypeSpec(StateRules.DeclarationKeyword(outer), outer.Name));
            }

            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return new StateSpec(
                HintName: HintNameOf(fullName),
                Namespace: ns,
                ContainingTypes: containing.ToEquatableArray(),
                DeclarationKeyword: StateRules.DeclarationKeyword(type),
                TypeName: type.Name,
                FullyQualifiedName: fullName,
                Key: key,
                KeyHash: Fnv.Hash32(key),
                Fingerprint: SchemaFingerprint.Compute(key, root, shapes),
                ClientAccess: access,
                RootShapeId: root,
                Shapes: shapes,
                IsDeeplyImmutable: walker.IsRootDeeplyImmutable());
        }

        private static string HintNameOf(string fullyQualifiedName)
        {
            var name = fullyQualifiedName.StartsWith("global::", System.StringComparison.Ordinal)
                ? fullyQualifiedName.Substring("global::".Length)
                : fullyQualifiedName;
            var chars = name.Select(static c => char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_').ToArray();
            return new string(chars) + ".SessionState.g.cs";
        }
    }
}

/// <summary>The rules a state type must meet, shared by the generator (to skip) and the analyzer (to report).</summary>
internal static class StateRules
{
    public static bool IsPartialAll(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (!IsPartial(t))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0
        && type.DeclaringSyntaxReferences.All(static r =>
            r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));

    public static bool IsGenericOrInGeneric(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The attribute's <c>ClientAccess</c>. A number that names no access (a cast) counts as None: an access
    /// the runtime does not know opens nothing.
    /// </summary>
    public static ClientAccess ClientAccessOf(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "ClientAccess" && argument.Value.Value is int value)
            {
                return value switch
                {
                    (int)ClientAccess.ReadOnly => ClientAccess.ReadOnly,
                    (int)ClientAccess.ReadWrite => ClientAccess.ReadWrite,
                    _ => ClientAccess.None,
                };
            }
        }

        return ClientAccess.None;
    }

    /// <summary>
    /// Whether code anywhere in the assembly can name the type: it and every type it is nested in are
    /// internal or public. A module initializer must be, so only such a state can register itself in the
    /// client catalog.
    /// </summary>
    public static bool IsAccessibleInAssembly(INamedTypeSymbol type) => FirstHiddenFromAssembly(type) is null;

    /// <summary>The state, or the type it is nested in, that is private or protected; null when there is none.</summary>
    public static INamedTypeSymbol? FirstHiddenFromAssembly(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return t;
            }
        }

        return null;
    }

    public static string KeyOf(INamedTypeSymbol type, AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string key
            ? key
            : type.Name;

    /// <summary>
    /// A key is 1 to 128 printable ASCII characters without spaces, quotes, backslashes or the
    /// characters cookie and Redis key syntax reserve: every store can hold it as is.
    /// </summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 128 && key.All(static c => c is > ' ' and < '\u007f' and not ('"' or '\\' or ',' or ';' or '=' or '{' or '}'));

    public static string DeclarationKeyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        (false, TypeKind.Interface) => "interface",
        _ => "class",
    };
}
