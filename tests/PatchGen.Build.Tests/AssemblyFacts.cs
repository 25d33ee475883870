using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PatchGen.Build.Tests;

/// <summary>What the tests check in a built assembly, read with System.Reflection.Metadata (never loaded).</summary>
internal static class AssemblyFacts
{
    public static Guid Mvid(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }

    public static bool IsPatchable(string path) => IsPatchable(File.ReadAllBytes(path));

    /// <summary>Whether the instrumenter left PatchGen.Runtime.PatchableAssemblyAttribute on the assembly.</summary>
    public static bool IsPatchable(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            if (constructor.Kind != HandleKind.MemberReference)
                continue;
            var parent = reader.GetMemberReference((MemberReferenceHandle)constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference)
                continue;
            var type = reader.GetTypeReference((TypeReferenceHandle)parent);
            if (reader.GetString(type.Namespace) == "PatchGen.Runtime" && reader.GetString(type.Name) == "PatchableAssemblyAttribute")
                return true;
        }
        return false;
    }

    /// <summary>The PDB identity the assembly's CodeView debug directory entry asks for: GUID and stamp.</summary>
    public static (Guid Guid, uint Stamp, string Path) ExpectedPdb(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var entry = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var codeView = pe.ReadCodeViewDebugDirectoryData(entry);
        return (codeView.Guid, entry.Stamp, codeView.Path);
    }

    /// <summary>The identity a portable PDB carries (its first 16 bytes a GUID, the last 4 the stamp).</summary>
    public static (Guid Guid, uint Stamp) PdbIdentity(string pdbPath)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
        var id = provider.GetMetadataReader().DebugMetadataHeader!.Id;
        return (new Guid(id.AsSpan(0, 16)), BitConverter.ToUInt32(id.AsSpan(16, 4)));
    }

    /// <summary>The source documents a portable PDB names.</summary>
    public static IReadOnlyList<string> PdbDocuments(string pdbPath)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
        var reader = provider.GetMetadataReader();
        return reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
    }
}
