using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Reads a <see cref="PatchHeader"/> from the bytes of a patch file with System.Reflection.Metadata:
/// nothing is loaded, nothing runs. It is also the directory's test of a complete file: a PE image
/// whose sections reach past its end is a file still being written (or cut short), and is refused
/// like any other bytes that are not a patch, never handed to the loader.
/// </summary>
internal static class PatchHeaderReader
{
    private const string RuntimeNamespace = RuntimeNames.Namespace;

    /// <summary>The header, or null with <paramref name="problem"/> saying why the bytes are not a whole patch.</summary>
    public static PatchHeader? Read(byte[] image, out string? problem)
    {
        try
        {
            return ReadCore(image, out problem);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PEReader and MetadataReader throw BadImageFormatException on most bad bytes, other types on
            // some; each means the same here.
            problem = "not a managed assembly, or its image is cut short or corrupt (" + e.Message + ")";
            return null;
        }
    }

    private static PatchHeader? ReadCore(byte[] image, out string? problem)
    {
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(image));
        foreach (var section in pe.PEHeaders.SectionHeaders)
        {
            long end = (long)section.PointerToRawData + section.SizeOfRawData;
            if (end > image.Length)
            {
                problem = $"cut short: its section {section.Name} ends at byte {end.ToString(CultureInfo.InvariantCulture)}, but the file has {image.Length.ToString(CultureInfo.InvariantCulture)}";
                return null;
            }
        }
        if (!pe.HasMetadata)
        {
            problem = "not a managed assembly";
            return null;
        }
        var metadata = pe.GetMetadataReader();
        if (!metadata.IsAssembly)
        {
            problem = "not an assembly (a module without a manifest)";
            return null;
        }

        (string Id, string Target, string Mvid, bool Cumulative)? patch = null;
        var moreBases = new List<(string Name, string Mvid)>();
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (IsRuntimeAttribute(metadata, attribute, RuntimeNames.PatchBaseAttributeName))
            {
                // A further base of a patch of several assemblies (format 2): the patch waits for it too.
                if (attribute.DecodeValue(AttributeValueDecoder.Instance).FixedArguments is not [{ Value: string name }, { Value: string baseMvid }])
                {
                    problem = "its PatchGen.Runtime.PatchBaseAttribute does not have the (assembly, base MVID) arguments";
                    return null;
                }
                moreBases.Add((name, baseMvid));
                continue;
            }
            if (!IsRuntimeAttribute(metadata, attribute, RuntimeNames.PatchAttributeName))
                continue;
            var value = attribute.DecodeValue(AttributeValueDecoder.Instance);
            if (value.FixedArguments.Length != 3
                || value.FixedArguments[0].Value is not string id
                || value.FixedArguments[1].Value is not string target
                || value.FixedArguments[2].Value is not string mvid)
            {
                problem = "its PatchGen.Runtime.PatchAttribute does not have the (id, target assembly, base MVID) arguments";
                return null;
            }
            bool cumulative = value.NamedArguments.Any(a => a.Name == "Cumulative" && a.Value is true);
            patch = (id, target, mvid, cumulative);
        }
        if (patch is not { } found)
        {
            problem = "not a patch (it has no PatchGen.Runtime.PatchAttribute)";
            return null;
        }

        var replaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var methodHandle in metadata.MethodDefinitions)
        {
            foreach (var handle in metadata.GetMethodDefinition(methodHandle).GetCustomAttributes())
            {
                var attribute = metadata.GetCustomAttribute(handle);
                if (IsRuntimeAttribute(metadata, attribute, RuntimeNames.ReplacesAttributeName)
                    && attribute.DecodeValue(AttributeValueDecoder.Instance).FixedArguments is [{ Value: string member }])
                    replaces.Add(member);
            }
        }
        problem = null;
        return new PatchHeader(found.Id, found.Target, found.Mvid, found.Cumulative, replaces) { MoreBases = moreBases };
    }

    private static bool IsRuntimeAttribute(MetadataReader metadata, CustomAttribute attribute, string name)
    {
        // The runtime recognises its own attribute types only (PatchLoader reads them by type), which a
        // patch references from PatchGen.Runtime.
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
            return false;
        var parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        if (parent.Kind != HandleKind.TypeReference)
            return false;
        var type = metadata.GetTypeReference((TypeReferenceHandle)parent);
        var (typeName, typeNamespace) = (type.Name, type.Namespace);
        return metadata.StringComparer.Equals(typeName, name) && metadata.StringComparer.Equals(typeNamespace, RuntimeNamespace);
    }
}
