using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>
/// Makes an instrumented assembly runnable where it was written: PatchGen.Runtime and the
/// PatchGen.Diagnostics it references are copied beside it, and every <c>*.deps.json</c> there gets
/// entries for them, because an app's host only loads assemblies its deps.json lists.
/// </summary>
internal static class RuntimeFiles
{
    /// <summary>The runtime assemblies the output needs, the runtime first.</summary>
    private static IEnumerable<(Assembly Assembly, string[] Dependencies)> Needed()
    {
        yield return (RuntimeReferences.RuntimeAssembly, new[] { "PatchGen.Diagnostics" });
        yield return (typeof(DiagnosticCatalog).Assembly, Array.Empty<string>());
    }

    public static void CopyBeside(string outputPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        try
        {
            foreach (var (assembly, _) in Needed())
                CopyIfDifferent(assembly, directory);
            foreach (var depsFile in Directory.GetFiles(directory, "*.deps.json").OrderBy(f => f, StringComparer.Ordinal))
                AddToDeps(depsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstrumentErrors.Input(outputPath, "cannot copy the PatchGen runtime beside it: " + e.Message);
        }
    }

    /// <summary>
    /// Copies unless an assembly of the same name and version is already there: that may be one this
    /// tool instrumented (PatchGen.Diagnostics can be), which must not be overwritten.
    /// </summary>
    private static void CopyIfDifferent(Assembly assembly, string directory)
    {
        var source = assembly.Location;
        var name = assembly.GetName();
        var destination = Path.Combine(directory, Path.GetFileName(source));
        if (string.Equals(Path.GetFullPath(source), Path.GetFullPath(destination), StringComparison.Ordinal))
            return;
        if (File.Exists(destination))
        {
            try
            {
                var existing = AssemblyName.GetAssemblyName(destination);
                if (existing.Name == name.Name && existing.Version == name.Version)
                    return;
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException)
            {
                // Not a usable assembly: replace it.
            }
        }
        var temp = destination + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.Copy(source, temp, overwrite: true);
        File.Move(temp, destination, overwrite: true);
    }

    /// <summary>Adds a project library entry per runtime assembly to every target and to "libraries"; the rest of the file is kept.</summary>
    internal static void AddToDeps(string depsFile)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(depsFile), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw InstrumentErrors.Input(depsFile, "not valid JSON, so the PatchGen runtime cannot be registered in it (" + e.Message + ")");
        }
        if (root is not JsonObject document)
            return;

        bool changed = false;
        var targets = document["targets"] as JsonObject;
        if (document["libraries"] is not JsonObject libraries)
        {
            libraries = new JsonObject();
            document["libraries"] = libraries;
        }
        foreach (var (assembly, dependencies) in Needed())
        {
            var name = assembly.GetName();
            var version = name.Version!.ToString(3);
            var key = name.Name + "/" + version;
            if (targets != null)
            {
                foreach (var (_, target) in targets)
                {
                    if (target is not JsonObject entries || HasLibrary(entries, name.Name!))
                        continue;
                    var entry = new JsonObject();
                    if (dependencies.Length > 0)
                    {
                        var dependsOn = new JsonObject();
                        foreach (var dependency in dependencies)
                            dependsOn[dependency] = version;
                        entry["dependencies"] = dependsOn;
                    }
                    entry["runtime"] = new JsonObject
                    {
                        [Path.GetFileName(assembly.Location)] = new JsonObject
                        {
                            ["assemblyVersion"] = name.Version.ToString(),
                            ["fileVersion"] = name.Version.ToString(),
                        },
                    };
                    entries[key] = entry;
                    changed = true;
                }
            }
            if (!HasLibrary(libraries, name.Name!))
            {
                libraries[key] = new JsonObject
                {
                    ["type"] = "project",
                    ["serviceable"] = false,
                    ["sha512"] = "",
                };
                changed = true;
            }
        }
        if (!changed)
            return;
        var temp = depsFile + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(temp, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, depsFile, overwrite: true);
    }

    private static bool HasLibrary(JsonObject entries, string name)
        => entries.Any(p => p.Key.StartsWith(name + "/", StringComparison.OrdinalIgnoreCase));
}
