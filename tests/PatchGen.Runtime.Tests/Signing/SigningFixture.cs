using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using AssemblyDefinition = Mono.Cecil.AssemblyDefinition;
using WriterParameters = Mono.Cecil.WriterParameters;

namespace PatchGen.Runtime.Tests.Signing;

/// <summary>
/// Keys and signed images for the signing tests: key pairs as <c>sn -k</c> makes them, images signed
/// by Mono.Cecil (as the patch emitter signs) and by the real C# compiler, and the file offsets of
/// the parts of an image a tamperer would change.
/// </summary>
internal static class SigningFixture
{
    private static readonly Dictionary<int, byte[]> Keys = new();

    /// <summary>A fresh RSA key pair as an .snk (CAPI PRIVATEKEYBLOB). Key generation is slow, so
    /// <paramref name="slot"/> names a key shared by the tests that ask for the same slot.</summary>
    public static byte[] KeyPair(int slot = 0, int bits = 1024)
    {
        lock (Keys)
        {
            if (!Keys.TryGetValue(slot * 100_000 + bits, out var key))
            {
                using var rsa = new RSACryptoServiceProvider(bits);
                key = rsa.ExportCspBlob(includePrivateParameters: true);
                Keys.Add(slot * 100_000 + bits, key);
            }
            return key;
        }
    }

    /// <summary>The bare CAPI PUBLICKEYBLOB of a key pair (what <c>ExportCspBlob(false)</c> gives).</summary>
    public static byte[] CapiPublicKey(byte[] keyPair)
    {
        using var rsa = new RSACryptoServiceProvider();
        rsa.ImportCspBlob(keyPair);
        return rsa.ExportCspBlob(includePrivateParameters: false);
    }

    /// <summary>Rewrites <paramref name="image"/> with Mono.Cecil, signed with <paramref name="keyPair"/>, as the emitter will.</summary>
    public static byte[] SignWithCecil(byte[] image, byte[] keyPair, Action<AssemblyDefinition>? change = null)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(image));
        change?.Invoke(assembly);
        using var output = new MemoryStream();
        assembly.Write(output, new WriterParameters { StrongNameKeyBlob = keyPair, DeterministicMvid = true });
        return output.ToArray();
    }

    /// <summary>Compiles and signs with the real C# compiler (its managed strong-name signer, the one used off Windows).</summary>
    public static byte[] CompileSignedWithRoslyn(string assemblyName, string source, byte[] keyPair, Platform platform = Platform.AnyCpu, bool publicSign = false)
    {
        var directory = PatchGen.TestSupport.InlineAssembly.TempDirectory("roslyn-signed");
        var snk = Path.Combine(directory, "key.snk");
        File.WriteAllBytes(snk, keyPair);
        var refs = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(PatchRuntime).Assembly.Location));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, platform: platform, deterministic: true)
            .WithCryptoKeyFile(snk)
            .WithStrongNameProvider(new DesktopStrongNameProvider());
        if (publicSign)
            options = options.WithCryptoKeyFile(null).WithCryptoPublicKey(System.Collections.Immutable.ImmutableArray.Create(PublicKeyBlobOf(keyPair))).WithPublicSign(true);
        var compilation = CSharpCompilation.Create(assemblyName, new[] { CSharpSyntaxTree.ParseText(source) }, refs, options);
        var resources = new[] { new ResourceDescription("data.bin", () => new MemoryStream(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }), isPublic: true) };
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, manifestResources: resources);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return stream.ToArray();
    }

    /// <summary>The assembly public key blob of a key pair, as signers derive it (SHA1, RSA signature).</summary>
    public static byte[] PublicKeyBlobOf(byte[] keyPair) => Runtime.Signing.StrongNameKey.FromKeyMaterial(keyPair, out _)!.PublicKeyBlob;

    public static byte[] Flip(byte[] image, int offset, byte mask = 0x01)
    {
        var copy = (byte[])image.Clone();
        copy[offset] ^= mask;
        return copy;
    }

    /// <summary>File offsets of the parts of a signed image a tamperer would change, by name.</summary>
    public static IReadOnlyDictionary<string, int> Places(byte[] image, string methodName, string attributeName)
    {
        using var pe = new PEReader(new MemoryStream(image));
        var headers = pe.PEHeaders;
        var md = pe.GetMetadataReader();
        int metadataStart = headers.MetadataStartOffset;
        var places = new Dictionary<string, int>();

        var method = md.MethodDefinitions.Select(md.GetMethodDefinition).First(m => md.GetString(m.Name) == methodName);
        Assert.True(headers.TryGetDirectoryOffset(new DirectoryEntry(method.RelativeVirtualAddress, 1), out int body));
        int headerSize = (image[body] & 0x3) == 0x2 ? 1 : 4 * (image[body + 1] >> 4);
        places["IL of " + methodName] = body + headerSize;

        var attribute = md.GetCustomAttributes(EntityHandle.AssemblyDefinition)
            .Select(md.GetCustomAttribute)
            .First(a => md.GetString(md.GetTypeReference((TypeReferenceHandle)md.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent).Name) == attributeName);
        // Past the blob's length byte and the 0x0001 prolog: inside the first argument's string.
        places["#Blob (" + attributeName + " arguments)"] = metadataStart + md.GetHeapMetadataOffset(HeapIndex.Blob) + MetadataTokens.GetHeapOffset(attribute.Value) + 1 + 2 + 2;
        places["#Strings (" + methodName + ")"] = metadataStart + md.GetHeapMetadataOffset(HeapIndex.String) + MetadataTokens.GetHeapOffset(method.Name);
        Assert.True(md.GetHeapSize(HeapIndex.UserString) > 2, "the image needs a string literal");
        places["#US"] = metadataStart + md.GetHeapMetadataOffset(HeapIndex.UserString) + 2;
        places["#GUID (MVID)"] = metadataStart + md.GetHeapMetadataOffset(HeapIndex.Guid) + 3;
        places["#~ (a table row)"] = metadataStart + md.GetTableMetadataOffset(TableIndex.MethodDef) + md.GetTableRowSize(TableIndex.MethodDef) / 2;

        var resources = headers.CorHeader!.ResourcesDirectory;
        if (resources.Size > 0)
        {
            Assert.True(headers.TryGetDirectoryOffset(resources, out int resourceStart));
            places["managed resource"] = resourceStart + 4 + 2; // past the 4-byte length of the first resource
        }
        Assert.True(headers.TryGetDirectoryOffset(headers.CorHeader.StrongNameSignatureDirectory, out int signature));
        places["signature blob"] = signature + 7;
        places["CLI header flags"] = headers.CorHeaderStartOffset + 16;
        places["section table"] = headers.PEHeaderStartOffset + headers.CoffHeader.SizeOfOptionalHeader + 8; // VirtualSize of the first section
        places["DOS stub"] = 0x50;
        return places;
    }

    /// <summary>The file offset of the PE checksum, the one header field the strong-name hash leaves free.</summary>
    public static int CheckSumOffset(byte[] image)
    {
        using var pe = new PEReader(new MemoryStream(image));
        return pe.PEHeaders.PEHeaderStartOffset + 64;
    }
}
