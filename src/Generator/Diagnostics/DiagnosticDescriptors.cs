using Microsoft.CodeAnalysis;

namespace TypedSessions.Generator.Diagnostics;

/// <summary>Every diagnostic TypedSessions reports. Ids are stable: never reuse one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "TypedSessions";

    // Each id has a section of its own on the troubleshooting page, headed by the id.
    private const string Troubleshooting = "https://github.com/typedsessions/typedsessions/blob/main/docs/troubleshooting.md";

    private static string HelpLink(string id) => $"{Troubleshooting}#{id.ToLowerInvariant()}";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "TS0001", "Session state type must be partial",
        "'{0}' is marked [SessionState] but is not partial{1}: the generator adds the session contract to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Add the partial modifier to the state type and to every type it is nested in.",
        helpLinkUri: HelpLink("TS0001"));

    public static readonly DiagnosticDescriptor NoDefaultInstance = new(
        "TS0002", "Session state type has no default instance",
        "'{0}' needs a parameterless constructor or a constructor whose parameters all have defaults: an empty slot reads as that instance",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("TS0002"));

    public static readonly DiagnosticDescriptor UnsupportedMember = new(
        "TS0003", "Member type cannot be stored in a session",
        "'{0}' cannot be stored in the session state '{1}': {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Session state members must be primitives, strings, dates and times, GUIDs, enums, supported collections, or records, classes and structs made of these.",
        helpLinkUri: HelpLink("TS0003"));

    public static readonly DiagnosticDescriptor DuplicateKey = new(
        "TS0004", "Two session states share a key",
        "The session key '{0}' of '{1}' is also used by '{2}' (as '{3}'): each state needs its own key, and keys that differ only in case are the same key",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, customTags: WellKnownDiagnosticTags.CompilationEnd,
        description: "Keys are compared ignoring case: the cookie store names a cookie after each key, and ASP.NET Core matches cookie names ignoring case.",
        helpLinkUri: HelpLink("TS0004"));

    public static readonly DiagnosticDescriptor Generic = new(
        "TS0005", "Session state type cannot be generic",
        "'{0}' is generic or nested in a generic type: a session state needs one fixed schema and key",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("TS0005"));

    public static readonly DiagnosticDescriptor MutableCollection = new(
        "TS0006", "Mutable collection in session state",
        "'{0}' is a mutable {1}: changing it in place is not saved; write a new value with SetAsync or UpdateAsync, or use {2}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        helpLinkUri: HelpLink("TS0006"));

    public static readonly DiagnosticDescriptor InvalidKey = new(
        "TS0007", "Invalid session key",
        "The session key '{0}' is invalid: use 1 to 128 printable ASCII characters without spaces, quotes, backslashes, commas, semicolons, '=' or braces",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        helpLinkUri: HelpLink("TS0007"));

    public static readonly DiagnosticDescriptor ClientAccessHidden = new(
        "TS0008", "Client-accessible session state must be visible in its assembly",
        "'{0}' has ClientAccess {1} but '{2}' is not internal or public: the module initializer that registers the state for the client cannot be generated",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A state opened to the WebAssembly client registers itself in SessionStateCatalog from a generated module initializer, which must be reachable from the whole assembly. Make the state and every type it is nested in internal or public, or leave ClientAccess at None.",
        helpLinkUri: HelpLink("TS0008"));
}
