namespace TypedSessions.Generator;

/// <summary>
/// Names of runtime types the generator refers to. The generator never references the runtime
/// assembly: the attribute is found by its metadata name and generated code names types in full.
/// </summary>
internal static class TypeNames
{
    public const string SessionStateAttribute = "TypedSessions.SessionStateAttribute";
    public const string FormerNameAttributeMetadataName = "TypedSessions.FormerNameAttribute";
    public const string ISessionState = "global::TypedSessions.ISessionState";
    public const string SessionWriter = "global::TypedSessions.Serialization.SessionWriter";
    public const string SessionReader = "global::TypedSessions.Serialization.SessionReader";
    public const string SessionFormatException = "global::TypedSessions.Serialization.SessionFormatException";
    public const string SessionCollections = "global::TypedSessions.Serialization.SessionCollections";
    public const string SessionClientAccess = "global::TypedSessions.SessionClientAccess";
    public const string SessionStateCatalog = "global::TypedSessions.Serialization.SessionStateCatalog";
}
