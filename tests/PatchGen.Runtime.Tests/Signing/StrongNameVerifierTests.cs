using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.CodeAnalysis;
using Mono.Cecil;
using PatchGen.Runtime.Signing;

namespace PatchGen.Runtime.Tests.Signing;

/// <summary>
/// The verifier against images signed by real signers: the C# compiler (PE32 and PE32+) and
/// Mono.Cecil, plus an independent SHA256 signer; and against every single-byte change of a signed
/// image, which must all be caught except the one field the real algorithm leaves free.
/// </summary>
public sealed class StrongNameVerifierTests
{
    private const string Source = """
        namespace Signed;
        public static class Greeter
        {
            public static string Hello(string name) => "hello " + name.Trim();
        }
        """;

    [Theory]
    [InlineData(Platform.AnyCpu)]
    [InlineData(Platform.X64)]
    public void AnAssemblySignedByTheCSharpCompilerVerifies(Platform platform)
    {
        var key = SigningFixture.KeyPair();
        var image = SigningFixture.CompileSignedWithRoslyn("Signed", Source, key, platform);
        using (var pe = new PEReader(new MemoryStream(image)))
            Assert.Equal(platform == Platform.X64 ? PEMagic.PE32Plus : PEMagic.PE32, pe.PEHeaders.PEHeader!.Magic);

        var result = StrongNameVerifier.Verify(image);

        Assert.True(result.IsValid, result.Failure);
        Assert.True(result.HasSignature);
        var name = AssemblyName.GetAssemblyName(WriteTemp(image));
        Assert.Equal(name.GetPublicKey(), result.PublicKey);
        Assert.Equal(name.GetPublicKeyToken(), result.PublicKeyToken);
        // What TrustPublicKey derives from the .snk is the very key the compiler put in the assembly.
        Assert.Equal(SigningFixture.PublicKeyBlobOf(key), result.PublicKey);
    }

    [Fact]
    public void AnAssemblySignedByCecilVerifiesWithTheKeyTheCompilerWouldWrite()
    {
        var key = SigningFixture.KeyPair();
        var plain = Compiler.Compile("Signed", Source);
        var image = SigningFixture.SignWithCecil(plain, key);

        var result = StrongNameVerifier.Verify(image);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(SigningFixture.PublicKeyBlobOf(key), result.PublicKey);
        Assert.Equal(StrongNameVerifier.Verify(SigningFixture.CompileSignedWithRoslyn("Signed", Source, key)).PublicKeyToken, result.PublicKeyToken);
    }

    [Fact]
    public void AnUnsignedAssemblyHasNoSignature()
    {
        var result = StrongNameVerifier.Verify(Compiler.Compile("Plain", Source));
        Assert.True(result.IsAssembly);
        Assert.False(result.HasSignature);
        Assert.False(result.IsValid);
        Assert.Null(result.PublicKey);
        Assert.Contains("not strong-name signed", result.Failure);
    }

    [Fact]
    public void APublicSignedAssemblyCarriesTheKeyButNoValidSignature()
    {
        var key = SigningFixture.KeyPair();
        var image = SigningFixture.CompileSignedWithRoslyn("Signed", Source, key, publicSign: true);
        var result = StrongNameVerifier.Verify(image);
        Assert.True(result.HasSignature);
        Assert.False(result.IsValid);
        Assert.Equal(SigningFixture.PublicKeyBlobOf(key), result.PublicKey);
        Assert.Contains("empty", result.Failure);
    }

    /// <summary>
    /// Every byte of a signed image, changed one at a time: each change must make the signature fail,
    /// except in the PE checksum, which the algorithm hashes as zeros (signers and Authenticode rewrite
    /// it after signing) and which the loader never reads. This is the test that there is no gap.
    /// </summary>
    [Theory]
    [InlineData("roslyn", 512)] // a 64-byte signature in the 128 bytes Roslyn reserves at least
    [InlineData("roslyn-x64", 1024)]
    [InlineData("cecil", 1024)]
    public void EveryByteOfASignedImageIsCoveredExceptTheChecksum(string signer, int bits)
    {
        var key = SigningFixture.KeyPair(bits: bits);
        var image = signer switch
        {
            "roslyn" => SigningFixture.CompileSignedWithRoslyn("Signed", Source, key),
            "roslyn-x64" => SigningFixture.CompileSignedWithRoslyn("Signed", Source, key, Platform.X64),
            _ => SigningFixture.SignWithCecil(Compiler.Compile("Signed", Source), key),
        };
        var signed = StrongNameVerifier.Verify(image);
        Assert.True(signed.IsValid, signed.Failure);
        int checksum = SigningFixture.CheckSumOffset(image);
        var missed = new List<int>();
        for (int offset = 0; offset < image.Length; offset++)
        {
            image[offset] ^= 0x20;
            var result = StrongNameVerifier.Verify(image);
            image[offset] ^= 0x20;
            bool free = offset >= checksum && offset < checksum + 4;
            if (result.IsValid != free)
                missed.Add(offset);
        }
        Assert.True(missed.Count == 0, $"{missed.Count} offsets misjudged, first ones: {string.Join(", ", missed.Take(10).Select(o => "0x" + o.ToString("x")))}");
    }

    [Fact]
    public void BytesAppendedAfterTheLastSectionAreRefusedButZeroPaddingIsNot()
    {
        var image = SigningFixture.SignWithCecil(Compiler.Compile("Signed", Source), SigningFixture.KeyPair());
        Assert.True(StrongNameVerifier.Verify(image.Concat(new byte[512]).ToArray()).IsValid);
        var appended = StrongNameVerifier.Verify(image.Concat(new byte[] { 0, 0, 0x4d, 0x5a }).ToArray());
        Assert.False(appended.IsValid);
        Assert.Contains("after its last section", appended.Failure);
    }

    [Fact]
    public void AnAuthenticodeCertificateEntryIsRefused()
    {
        var image = SigningFixture.SignWithCecil(Compiler.Compile("Signed", Source), SigningFixture.KeyPair());
        int entry = SigningFixture.CheckSumOffset(image) - 64 + 128;
        var result = StrongNameVerifier.Verify(SigningFixture.Flip(image, entry + 4, 0x08));
        Assert.False(result.IsValid);
        Assert.Contains("Authenticode", result.Failure);
    }

    [Theory]
    [InlineData(StrongNameKey.CalgSha256)]
    [InlineData(StrongNameKey.CalgSha384)]
    [InlineData(StrongNameKey.CalgSha512)]
    public void TheHashAlgorithmComesFromThePublicKey(uint hashAlgorithm)
    {
        using var rsa = RSA.Create(2048);
        var keyPair = ExportKeyPair(rsa);
        var publicKey = SigningFixture.PublicKeyBlobOf(keyPair);
        BinaryPrimitives.WriteUInt32LittleEndian(publicKey.AsSpan(4), hashAlgorithm);
        var name = hashAlgorithm switch { StrongNameKey.CalgSha256 => HashAlgorithmName.SHA256, StrongNameKey.CalgSha384 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        var image = SignIndependently(Compiler.Compile("Signed", Source), publicKey, rsa, name);

        var result = StrongNameVerifier.Verify(image);
        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(hashAlgorithm, result.Key!.HashAlgorithmId);
    }

    [Fact]
    public void OurPkcs1CheckAgreesWithThePlatformsRsa()
    {
        using var rsa = RSA.Create(1024);
        var key = StrongNameKey.FromKeyMaterial(ExportKeyPair(rsa), out var reason)!;
        Assert.NotNull(key);
        var hash = SHA1.HashData("content"u8);
        var signature = rsa.SignHash(hash, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        Array.Reverse(signature);
        Assert.True(key.VerifyHash(hash, signature));
        var otherHash = SHA1.HashData("contenT"u8);
        Assert.False(key.VerifyHash(otherHash, signature));
        signature[0] ^= 1;
        Assert.False(key.VerifyHash(hash, signature));
        Assert.False(key.VerifyHash(hash, signature.AsSpan(1)));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x4d, 0x5a })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void GarbageIsNotAnAssemblyAndNeverThrows(byte[] bytes)
    {
        var result = StrongNameVerifier.Verify(bytes);
        Assert.False(result.IsAssembly);
        Assert.False(result.IsValid);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public void TruncatedImagesNeverThrow()
    {
        var image = SigningFixture.SignWithCecil(Compiler.Compile("Signed", Source), SigningFixture.KeyPair());
        for (int length = 0; length < image.Length; length += 7)
        {
            var result = StrongNameVerifier.Verify(image.AsSpan(0, length).ToArray());
            Assert.False(result.IsValid);
            Assert.NotNull(result.Failure);
        }
    }

    [Fact]
    public void KeyMaterialIsReadInEveryFormToTheSameKey()
    {
        var pair = SigningFixture.KeyPair();
        var fromPair = StrongNameKey.FromKeyMaterial(pair, out _)!;
        var fromCapi = StrongNameKey.FromKeyMaterial(SigningFixture.CapiPublicKey(pair), out _)!;
        var fromBlob = StrongNameKey.FromKeyMaterial(fromPair.PublicKeyBlob, out _)!;
        Assert.True(fromPair.SameKeyAs(fromCapi));
        Assert.True(fromPair.SameKeyAs(fromBlob));
        Assert.Equal(fromPair.PublicKeyToken, fromBlob.PublicKeyToken);
        Assert.False(fromPair.SameKeyAs(StrongNameKey.FromKeyMaterial(SigningFixture.KeyPair(slot: 1), out _)!));

        Assert.Null(StrongNameKey.FromKeyMaterial(pair.AsSpan(0, pair.Length - 1).ToArray(), out var reason));
        Assert.Contains("key pair", reason);
        Assert.Null(StrongNameKey.FromKeyMaterial("not a key"u8.ToArray(), out _));
        var ecma = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0 };
        Assert.Null(StrongNameKey.FromKeyMaterial(ecma, out reason));
        Assert.Contains("ECMA", reason);
        // The ECMA key's token is the well-known b77a5c561934e089: the token is computed as the CLR does.
        Assert.Equal("b77a5c561934e089", Convert.ToHexStringLower(StrongNameKey.TokenOf(ecma)));
    }

    [Fact]
    public void ATrustedKeyAcceptsSignaturesWithItsHashOrAStrongerOneNeverAWeaker()
    {
        var sha1 = StrongNameKey.FromKeyMaterial(SigningFixture.KeyPair(), out _)!;
        var blob = sha1.PublicKeyBlob.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), StrongNameKey.CalgSha256);
        var sha256 = StrongNameKey.FromKeyMaterial(blob, out _)!;
        Assert.True(sha1.Accepts(sha1));
        Assert.True(sha1.Accepts(sha256));
        Assert.True(sha256.Accepts(sha256));
        Assert.False(sha256.Accepts(sha1));
        Assert.False(sha1.Accepts(StrongNameKey.FromKeyMaterial(SigningFixture.KeyPair(slot: 1), out _)!));
    }

    private static byte[] ExportKeyPair(RSA rsa)
    {
        using var csp = new RSACryptoServiceProvider();
        csp.ImportParameters(rsa.ExportParameters(includePrivateParameters: true));
        return csp.ExportCspBlob(includePrivateParameters: true);
    }

    /// <summary>
    /// A second, independent signer with any hash algorithm: Cecil writes the image with the public key
    /// and room for the signature, then this hashes it the way Mono.Cecil's <c>HashStream</c> does (the
    /// headers as one run, then everything from the first section to the end of the file around the
    /// signature) and signs with the platform's RSA.
    /// </summary>
    private static byte[] SignIndependently(byte[] plain, byte[] publicKey, RSA rsa, HashAlgorithmName algorithm)
    {
        byte[] image;
        using (var assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(plain)))
        {
            assembly.Name.PublicKey = publicKey;
            assembly.MainModule.Attributes |= ModuleAttributes.StrongNameSigned;
            using var output = new MemoryStream();
            assembly.Write(output);
            image = output.ToArray();
        }
        using var pe = new PEReader(new MemoryStream(image));
        var headers = pe.PEHeaders;
        int headerSize = headers.PEHeaderStartOffset + headers.CoffHeader.SizeOfOptionalHeader + 40 * headers.SectionHeaders.Length;
        int firstSection = headers.SectionHeaders[0].PointerToRawData;
        Assert.True(headers.TryGetDirectoryOffset(headers.CorHeader!.StrongNameSignatureDirectory, out int signatureAt));
        int signatureSize = headers.CorHeader.StrongNameSignatureDirectory.Size;
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(image, 0, headerSize);
        hash.AppendData(image, firstSection, signatureAt - firstSection);
        hash.AppendData(image, signatureAt + signatureSize, image.Length - signatureAt - signatureSize);
        var signature = rsa.SignHash(hash.GetHashAndReset(), algorithm, RSASignaturePadding.Pkcs1);
        Array.Reverse(signature);
        Assert.Equal(signatureSize, signature.Length);
        signature.CopyTo(image, signatureAt);
        return image;
    }

    private static string WriteTemp(byte[] image)
    {
        var path = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("signed"), "Signed.dll");
        File.WriteAllBytes(path, image);
        return path;
    }
}
