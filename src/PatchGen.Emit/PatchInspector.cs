using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// Reads a patch's metadata with Cecil, without loading it: what it replaces (by documentation ID
/// and site), what it is bound to, its callbacks and system states, the types it ships, and its
/// signature. A file that is not a patch is a PG0001 error naming it.
/// </summary>
internal static class PatchInspector
{
    public static PatchDescription Inspect(string path)
    {
        byte[] image;
        try
        {
            image = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(path, File.Exists(path) ? "cannot be read: " + e.Message : Directory.Exists(path) ? "is a directory, not a patch" : "file not found");
        }

        AssemblyDefinition assembly;
        try
        {
            assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(image, writable: false), new ReaderParameters { AssemblyResolver = new DefaultAssemblyResolver() });
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or EndOfStreamException or IndexOutOfRangeException)
        {
            throw Error(path, "not a managed assembly, or its image is corrupt");
        }

        using (assembly)
        {
            var module = assembly.MainModule;
            var patch = assembly.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == RuntimeNames.PatchAttribute)
                ?? throw Error(path, "not a patch (it has no PatchGen.Runtime.PatchAttribute)");
            bool cumulative = patch.Properties.Any(p => p.Name == "Cumulative" && p.Argument.Value is true);
            int format = patch.Properties.Where(p => p.Name == PatchFormat.FormatVersionProperty).Select(p => (int)p.Argument.Value).DefaultIfEmpty(PatchFormat.SingleBase).First();
            var bases = assembly.CustomAttributes
                .Where(a => a.AttributeType.FullName == RuntimeNames.PatchBaseAttribute)
                .Select(a => new PatchBaseBinding((string)a.ConstructorArguments[0].Value, (string)a.ConstructorArguments[1].Value))
                .Prepend(new PatchBaseBinding((string)patch.ConstructorArguments[1].Value, (string)patch.ConstructorArguments[2].Value))
                .ToList();
            var states = assembly.CustomAttributes
                .Where(a => a.AttributeType.FullName == RuntimeNames.PatchSystemStateAttribute)
                .Select(a => ((int)a.ConstructorArguments[0].Value, (int)a.ConstructorArguments[1].Value))
                .ToList();

            var replaces = new List<PatchReplacement>();
            var callbacks = new List<(string, string)>();
            foreach (var type in module.GetTypes())
            {
                foreach (var method in type.Methods)
                {
                    foreach (var attribute in method.CustomAttributes)
                    {
                        switch (attribute.AttributeType.FullName)
                        {
                            case RuntimeNames.ReplacesAttribute:
                                int site = attribute.Properties.Where(p => p.Name == "Site").Select(p => (int)p.Argument.Value).DefaultIfEmpty(-1).First();
                                string? of = bases.Count == 1 ? null
                                    : attribute.Properties.Where(p => p.Name == PatchFormat.AssemblyProperty).Select(p => (string)p.Argument.Value).DefaultIfEmpty(bases[0].Name).First();
                                replaces.Add(new PatchReplacement((string)attribute.ConstructorArguments[0].Value, site, type.FullName + "::" + method.Name, of));
                                break;
                            case RuntimeNames.PatchCallbackAttribute:
                                callbacks.Add((CallbackKind(attribute.ConstructorArguments[0].Value), type.FullName + "::" + method.Name));
                                break;
                        }
                    }
                }
            }
            var holders = assembly.CustomAttributes
                .Where(a => a.AttributeType.FullName == "System.Reflection.AssemblyMetadataAttribute"
                    && a.ConstructorArguments.Count == 2 && (string)a.ConstructorArguments[0].Value == PatchAssemblyFactory.HolderMetadataKey)
                .Select(a => (string)a.ConstructorArguments[1].Value)
                .ToHashSet(StringComparer.Ordinal);
            var shipped = module.GetTypes()
                .Where(t => t.Name != "<Module>" && t.FullName != "System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute" && !holders.Contains(t.FullName))
                .Select(t => t.FullName)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();

            return new PatchDescription(
                path,
                assembly.Name.Name,
                module.Mvid,
                (string)patch.ConstructorArguments[0].Value,
                (string)patch.ConstructorArguments[1].Value,
                (string)patch.ConstructorArguments[2].Value,
                cumulative,
                states,
                replaces.OrderBy(r => r.Assembly is null ? 0 : bases.FindIndex(b => b.Name == r.Assembly)).ThenBy(r => r.DocumentationId, StringComparer.Ordinal).ToList(),
                callbacks.OrderBy(c => c.Item1, StringComparer.Ordinal).ToList(),
                shipped,
                Signature(image, assembly))
            {
                Bases = bases,
                FormatVersion = format,
            };
        }
    }

    private static string CallbackKind(object value)
    {
        int kind = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        return Enum.IsDefined(typeof(PatchGen.Runtime.PatchCallbackKind), kind) ? ((PatchGen.Runtime.PatchCallbackKind)kind).ToString() : kind.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static PatchSignature Signature(byte[] image, AssemblyDefinition assembly)
    {
        // The runtime's own verifier: inspect says exactly what PatchRuntime would decide (PG0006).
        var verification = PatchGen.Runtime.Signing.StrongNameVerifier.Verify(image);
        if (!assembly.Name.HasPublicKey || !verification.HasSignature)
            return new PatchSignature(false, null, null, null);
        var token = Convert.ToHexString(assembly.Name.PublicKeyToken).ToLowerInvariant();
        return new PatchSignature(true, token, verification.IsValid, verification.IsValid ? null : verification.Failure);
    }

    private static PatchGenException Error(string path, string reason)
        => new(new PatchDiagnostic(DiagnosticCatalog.InputUnreadable.Id, DiagnosticSeverity.Error, null, $"{path}: {reason}", null, null));
}
