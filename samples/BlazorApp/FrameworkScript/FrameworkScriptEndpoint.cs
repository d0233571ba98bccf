using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace BlazorApp.FrameworkScript;

/// <summary>
/// Serves <c>/_framework/blazor.web.js</c> when the framework's own static asset is missing.
/// </summary>
/// <remarks>
/// In .NET 10 the script ships in the package Microsoft.AspNetCore.App.Internal.Assets, which the
/// package registry this sample is built from does not hold. The same script (9.0 line, wire-compatible
/// with the .NET 10 circuit hub) is embedded in the 9.0 runtime pack's Components.Endpoints assembly:
/// the project downloads that pack, copies the assembly beside the app without referencing it, and this
/// endpoint reads the resource out of it once. With the framework asset present, this does nothing.
/// </remarks>
public static class FrameworkScriptEndpoint
{
    private const string ScriptPath = "/_framework/blazor.web.js";
    private const string ResourceName = "_framework/blazor.web.js";
    private const string AssemblyPath = "framework-script/Microsoft.AspNetCore.Components.Endpoints.dll";

    public static void MapFrameworkScriptFallback(this WebApplication app)
    {
        var frameworkAsset = app.Environment.WebRootFileProvider.GetFileInfo(ScriptPath);
        var assembly = Path.Combine(AppContext.BaseDirectory, AssemblyPath);
        if (frameworkAsset.Exists || !File.Exists(assembly))
        {
            return;
        }

        var script = new Lazy<byte[]>(() => ReadEmbeddedResource(assembly, ResourceName));
        app.MapGet(ScriptPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(script.Value, "text/javascript", entityTag: null);
        }).ExcludeFromDescription();
    }

    // Managed resources sit in the CLI header's resources directory, each as a 32-bit length and the bytes.
    private static byte[] ReadEmbeddedResource(string assemblyPath, string name)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!metadata.StringComparer.Equals(resource.Name, name))
            {
                continue;
            }

            var reader = pe.GetSectionData(directory.RelativeVirtualAddress)
                .GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            return reader.ReadBytes(reader.ReadInt32());
        }

        throw new InvalidOperationException($"'{assemblyPath}' has no resource '{name}'.");
    }
}
