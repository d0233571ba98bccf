namespace TypedSessions;

/// <summary>
/// Keeps the data of a renamed member: data stored under <paramref name="name"/> (the member's earlier
/// name) is read into this member. Members are stored by name, so without it a rename loses the value.
/// </summary>
/// <remarks>
/// Put it on the property or field, or on the parameter of a positional record. Keep it as long as
/// sessions written before the rename may still be alive (the absolute lifetime at most). Several
/// earlier names may be given, one attribute each; none may be the current name of another member.
/// </remarks>
/// <example><code>[SessionState("profile")] public partial record Profile([FormerName("Mail")] string Email = "");</code></example>
/// <param name="name">A name the member had before.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = true, Inherited = false)]
public sealed class FormerNameAttribute(string name) : Attribute
{
    /// <summary>The earlier name.</summary>
    public string Name { get; } = name;
}
