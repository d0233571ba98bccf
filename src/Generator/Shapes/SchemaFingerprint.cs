using System.Linq;
using System.Text;
using TypedSessions.Generator.Helpers;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Shapes;

/// <summary>
/// The schema fingerprint of a state: a 64-bit hash of its key and of every shape it reaches, which
/// changes when a member is added, removed, renamed or retyped.
/// </summary>
/// <remarks>
/// It is computed from the model alone, so it is exactly as stable as the model. The text it hashes is
/// a stored format: data already written carries the old value, so any change to it (order, separators,
/// the names used) makes every stored session look like another schema. The expected files of the
/// generator tests pin it.
/// </remarks>
internal static class SchemaFingerprint
{
    /// <param name="key">The state's storage key.</param>
    /// <param name="rootShapeId">The shape of the state type itself.</param>
    /// <param name="shapes">Every shape the state reaches, sorted by id (ordinal).</param>
    public static ulong Compute(string key, string rootShapeId, EquatableArray<TypeShape> shapes)
    {
        var schema = string.Join("|", shapes.Select(static s => s.Id + "=" + Signature(s)));
        return Fnv.Hash64(key + "#" + rootShapeId + "#" + schema);
    }

    // An object: its name and its members with their former names and shapes, "Name{A|Old:id;B:id;}".
    // Anything else: its name. Member shapes are named by id, so each signature stays local to its shape.
    private static string Signature(TypeShape shape)
    {
        if (shape.Kind != ShapeKind.Object)
        {
            return shape.SchemaName;
        }

        var text = new StringBuilder(shape.SchemaName).Append('{');
        foreach (var member in shape.Members)
        {
            text.Append(member.Name);
            foreach (var name in member.FormerNames)
            {
                text.Append('|').Append(name);
            }

            text.Append(':').Append(member.ShapeId).Append(';');
        }

        return text.Append('}').ToString();
    }
}
