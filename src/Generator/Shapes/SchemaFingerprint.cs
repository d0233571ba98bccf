using System.Linq;
using System.Text;
using TypedSessions.Generator.Helpers;
using TypedSessions.Generator.Model;

namespace TypedSessions.Generator.Shapes;

/// <summary>
/// The schema fingerprint of a state: a hash of its key and of every shape it reaches (each object's
/// members, their former names and shapes), written into every stored value so that bytes of an older
/// schema are recognised and read tolerantly.
/// </summary>
/// <remarks>
/// Computed from the symbol-free model alone, so it follows exactly what the emitter writes. The text
/// hashed must not change for an unchanged schema: stored sessions carry the hash.
/// </remarks>
internal static class SchemaFingerprint
{
    public static ulong Of(string key, string rootShapeId, EquatableArray<TypeShape> shapes)
    {
        var schema = string.Join("|", shapes.Select(static s => s.Id + "=" + Signature(s)));
        return Fnv.Hash64(key + "#" + rootShapeId + "#" + schema);
    }

    // Scalars and collections: the type; objects: the type and each member as name|former…:shape;
    private static string Signature(TypeShape shape)
    {
        if (shape.Kind != ShapeKind.Object)
        {
            return shape.TypeName;
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
