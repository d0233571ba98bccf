using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using TypedSessions.Serialization;

namespace TypedSessions.ClientApi;

/// <summary>
/// The states the client API serves: those whose <c>[SessionState]</c> sets <c>ClientAccess</c>. Generated
/// module initializers put them in <see cref="SessionStateCatalog"/>; nothing else is reachable by key.
/// </summary>
internal static class ClientStates
{
    /// <summary>The state named <paramref name="key"/> when the client may at least read it.</summary>
    public static SessionStateDescriptor? Find(string key) =>
        SessionStateCatalog.TryGet(key, out var state) && state.ClientAccess != SessionClientAccess.None ? state : null;

    /// <summary>Every state the client may read.</summary>
    public static IEnumerable<SessionStateDescriptor> Readable =>
        SessionStateCatalog.All.Where(static s => s.ClientAccess != SessionClientAccess.None);

    /// <summary>
    /// Runs the module initializers of the app's assemblies that use TypedSessions, so their states are in
    /// the catalog before the first request (an assembly of states is otherwise loaded only when one of its
    /// types is first touched).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification =
        "Only makes module initializers run early; a trimmed or native AOT app runs them at startup anyway.")]
    public static void Load(Assembly? entry)
    {
        if (entry is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([entry]);
        while (pending.TryPop(out var assembly))
        {
            if (!seen.Add(assembly.FullName ?? assembly.GetName().Name ?? ""))
            {
                continue;
            }

            var references = assembly.GetReferencedAssemblies();
            if (references.Any(static r => r.Name == "TypedSessions.Abstractions"))
            {
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            }

            foreach (var reference in references)
            {
                if (!IsFramework(reference.Name))
                {
                    try
                    {
                        pending.Push(Assembly.Load(reference));
                    }
                    catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
                    {
                        // A reference the app never loads: it cannot hold states in use either.
                    }
                }
            }
        }
    }

    private static bool IsFramework(string? name) =>
        name is null || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
        || name == "netstandard" || name == "mscorlib";
}
