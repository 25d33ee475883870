using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace PatchGen.Runtime.Signing;

/// <summary>
/// An RSA strong-name public key, read from the forms .NET tools hand around: the assembly public key
/// blob (what <c>sn -p</c> writes and what an assembly's metadata holds), a bare CAPI
/// <c>PUBLICKEYBLOB</c>, or a CAPI <c>PRIVATEKEYBLOB</c> (an <c>.snk</c> key pair), whose private part
/// is ignored.
/// </summary>
/// <remarks>
/// The assembly public key blob is the 12-byte header <c>SigAlgID, HashAlgID, cbPublicKey</c>
/// (little-endian <c>uint</c>s) followed by <c>cbPublicKey</c> bytes of CAPI <c>PUBLICKEYBLOB</c>:
/// <c>BLOBHEADER</c> (<c>bType</c> 6, <c>bVersion</c> 2, two reserved bytes, <c>aiKeyAlg</c>), then
/// <c>RSAPUBKEY</c> (<c>magic</c> "RSA1", <c>bitlen</c>, <c>pubexp</c>), then the modulus, little-endian.
/// A key pair has <c>bType</c> 7 and <c>magic</c> "RSA2", and the private parts after the modulus.
/// </remarks>
internal sealed class StrongNameKey
{
    public const uint CalgRsaSign = 0x2400;
    public const uint CalgRsaKeyExchange = 0xA400;
    public const uint CalgSha1 = 0x8004;
    public const uint CalgSha256 = 0x800C;
    public const uint CalgSha384 = 0x800D;
    public const uint CalgSha512 = 0x800E;

    private const int BlobHeaderSize = 12;
    private const int CapiHeaderSize = 20;
    private const byte PublicKeyBlobType = 0x06;
    private const byte PrivateKeyBlobType = 0x07;
    private const byte CapiVersion = 0x02;
    private const uint RsaPublicMagic = 0x31415352;  // "RSA1"
    private const uint RsaPrivateMagic = 0x32415352; // "RSA2"

    // Below 384 bits CAPI never made strong-name keys; above 16384 no tool does either, and the bound
    // keeps a hostile key from making ModPow arbitrarily slow.
    private const int MinimumBits = 384;
    private const int MaximumBits = 16384;

    private StrongNameKey(byte[] publicKeyBlob, byte[] modulusLittleEndian, uint exponent, uint hashAlgorithmId)
    {
        PublicKeyBlob = publicKeyBlob;
        ModulusLittleEndian = modulusLittleEndian;
        Exponent = exponent;
        HashAlgorithmId = hashAlgorithmId;
        PublicKeyToken = TokenOf(publicKeyBlob);
    }

    /// <summary>The assembly public key blob (with its 12-byte header): what a signed assembly carries.</summary>
    public byte[] PublicKeyBlob { get; }

    /// <summary>The modulus as stored, least significant byte first; its length is the signature's length.</summary>
    public byte[] ModulusLittleEndian { get; }

    public uint Exponent { get; }

    /// <summary>The ALG_ID of the hash that signatures by this key cover (SHA1 unless the blob says otherwise).</summary>
    public uint HashAlgorithmId { get; }

    public byte[] PublicKeyToken { get; }

    public string PublicKeyTokenText => Convert.ToHexStringLower(PublicKeyToken);

    public HashAlgorithmName HashAlgorithm => HashAlgorithmId switch
    {
        CalgSha256 => HashAlgorithmName.SHA256,
        CalgSha384 => HashAlgorithmName.SHA384,
        CalgSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA1,
    };

    /// <summary>
    /// Whether <paramref name="other"/> is the same key: same RSA modulus and exponent, and the same
    /// hash algorithm. The blob bytes may differ where they are immaterial, such as the
    /// <c>aiKeyAlg</c> a key pair was exported with.
    /// </summary>
    public bool SameKeyAs(StrongNameKey other) => SameRsaKeyAs(other) && HashAlgorithmId == other.HashAlgorithmId;

    /// <summary>
    /// Whether a signature by <paramref name="signer"/> counts as one by this trusted key: the same RSA
    /// key, hashing with this key's algorithm or a stronger one. A key trusted for SHA256 signatures
    /// does not vouch for a patch whose key blob claims SHA1 (no downgrade to the weaker hash); a key
    /// trusted from an .snk, which says nothing about hashing, accepts them all.
    /// </summary>
    public bool Accepts(StrongNameKey signer) => SameRsaKeyAs(signer) && Strength(signer.HashAlgorithmId) >= Strength(HashAlgorithmId);

    private bool SameRsaKeyAs(StrongNameKey other)
        => Exponent == other.Exponent && ModulusLittleEndian.AsSpan().SequenceEqual(other.ModulusLittleEndian);

    private static int Strength(uint hashAlgorithmId) => hashAlgorithmId switch
    {
        CalgSha256 => 1,
        CalgSha384 => 2,
        CalgSha512 => 3,
        _ => 0,
    };

    /// <summary>The public key token: the last 8 bytes of the SHA1 of the public key blob, reversed.</summary>
    public static byte[] TokenOf(ReadOnlySpan<byte> publicKeyBlob)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(publicKeyBlob, hash);
        var token = hash[^8..].ToArray();
        Array.Reverse(token);
        return token;
    }

    /// <summary>Reads an assembly public key blob, as found in metadata. Null with a reason when it is not a usable RSA key.</summary>
    public static StrongNameKey? FromAssemblyPublicKey(byte[] blob, out string reason)
    {
        if (blob.Length < BlobHeaderSize)
        {
            reason = $"its public key is {blob.Length} bytes, shorter than a public key header";
            return null;
        }
        uint signatureAlgorithm = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        uint hashAlgorithm = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4));
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(8));
        if (length != (uint)(blob.Length - BlobHeaderSize))
        {
            reason = $"its public key header announces {length} bytes of key but {blob.Length - BlobHeaderSize} follow";
            return null;
        }
        if (length == 4 && blob.AsSpan(BlobHeaderSize).IndexOfAnyExcept((byte)0) < 0 && signatureAlgorithm == 0 && hashAlgorithm == 0)
        {
            // The ECMA "neutral" key stands for whatever key the platform's own assemblies use; nothing
            // outside the framework can be signed with it.
            reason = "its public key is the ECMA standard key, which stands for the framework's own key and cannot sign anything else";
            return null;
        }
        if (signatureAlgorithm is not (0 or CalgRsaSign or CalgRsaKeyExchange))
        {
            reason = $"its public key names signature algorithm 0x{signatureAlgorithm:x4}; only RSA (0x2400) is supported";
            return null;
        }
        if (hashAlgorithm == 0)
            hashAlgorithm = CalgSha1; // the CLR's default when the blob leaves it open
        if (hashAlgorithm is not (CalgSha1 or CalgSha256 or CalgSha384 or CalgSha512))
        {
            reason = $"its public key names hash algorithm 0x{hashAlgorithm:x4}; only SHA1, SHA256, SHA384 and SHA512 are supported";
            return null;
        }
        var rsa = ReadCapiRsa(blob.AsSpan(BlobHeaderSize), PublicKeyBlobType, RsaPublicMagic, out reason);
        if (rsa is null)
        {
            reason = "its public key " + reason;
            return null;
        }
        if (rsa.Value.BlobLength != length)
        {
            reason = $"its public key has {length - rsa.Value.BlobLength} bytes after the modulus";
            return null;
        }
        return new StrongNameKey(blob.ToArray(), rsa.Value.Modulus, rsa.Value.Exponent, hashAlgorithm);
    }

    /// <summary>
    /// Reads a key file's or caller's bytes: an assembly public key blob, a bare CAPI public key blob,
    /// or an .snk key pair (public part only; it signs SHA1, as <c>sn</c>, the C# compiler and
    /// Mono.Cecil sign with a key pair).
    /// </summary>
    public static StrongNameKey? FromKeyMaterial(byte[] bytes, out string reason)
    {
        if (bytes.Length >= 2 && bytes[1] == CapiVersion && bytes[0] is PublicKeyBlobType or PrivateKeyBlobType)
        {
            bool isPair = bytes[0] == PrivateKeyBlobType;
            var rsa = ReadCapiRsa(bytes, bytes[0], isPair ? RsaPrivateMagic : RsaPublicMagic, out reason);
            if (rsa is null)
            {
                reason = (isPair ? "the key pair " : "the public key ") + reason;
                return null;
            }
            int modulusLength = rsa.Value.Modulus.Length;
            // A key pair goes on with prime1, prime2, exponent1, exponent2, coefficient (half the
            // modulus length each, rounded up) and the private exponent (the modulus length).
            int expected = isPair ? rsa.Value.BlobLength + 5 * ((modulusLength + 1) / 2) + modulusLength : rsa.Value.BlobLength;
            if (bytes.Length != expected)
            {
                reason = $"the {(isPair ? "key pair" : "public key")} is {bytes.Length} bytes, but a {modulusLength * 8}-bit one is {expected}";
                return null;
            }
            return new StrongNameKey(BuildPublicKeyBlob(rsa.Value.Modulus, rsa.Value.Exponent), rsa.Value.Modulus, rsa.Value.Exponent, CalgSha1);
        }
        return FromAssemblyPublicKey(bytes, out reason);
    }

    /// <summary>
    /// The public key blob signers derive from a key pair, byte for byte: RSA signature and SHA1 in
    /// the header, and a <c>PUBLICKEYBLOB</c> whose <c>aiKeyAlg</c> is <c>CALG_RSA_SIGN</c> whatever
    /// the pair was exported with.
    /// </summary>
    private static byte[] BuildPublicKeyBlob(byte[] modulus, uint exponent)
    {
        var blob = new byte[BlobHeaderSize + CapiHeaderSize + modulus.Length];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, CalgRsaSign);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], CalgSha1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)(CapiHeaderSize + modulus.Length));
        span[12] = PublicKeyBlobType;
        span[13] = CapiVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], CalgRsaSign);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], RsaPublicMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)modulus.Length * 8);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], exponent);
        modulus.CopyTo(span[32..]);
        return blob;
    }

    private readonly record struct CapiRsa(byte[] Modulus, uint Exponent, int BlobLength);

    /// <summary>BLOBHEADER + RSAPUBKEY + modulus; BlobLength is how many bytes that took.</summary>
    private static CapiRsa? ReadCapiRsa(ReadOnlySpan<byte> capi, byte type, uint magic, out string reason)
    {
        if (capi.Length < CapiHeaderSize)
        {
            reason = "is too short for a CAPI key blob";
            return null;
        }
        if (capi[0] != type || capi[1] != CapiVersion)
        {
            reason = $"is not a CAPI {(type == PublicKeyBlobType ? "PUBLICKEYBLOB" : "PRIVATEKEYBLOB")} (type {capi[0]}, version {capi[1]})";
            return null;
        }
        uint keyAlgorithm = BinaryPrimitives.ReadUInt32LittleEndian(capi[4..]);
        if (keyAlgorithm is not (CalgRsaSign or CalgRsaKeyExchange))
        {
            reason = $"is for algorithm 0x{keyAlgorithm:x4}, not RSA";
            return null;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(capi[8..]) != magic)
        {
            reason = "lacks the RSA key magic";
            return null;
        }
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(capi[12..]);
        uint exponent = BinaryPrimitives.ReadUInt32LittleEndian(capi[16..]);
        if (bits < MinimumBits || bits > MaximumBits || bits % 8 != 0)
        {
            reason = $"has an unusable size of {bits} bits";
            return null;
        }
        int modulusLength = (int)bits / 8;
        if (capi.Length < CapiHeaderSize + modulusLength)
        {
            reason = $"is cut short: {bits} bits of modulus need {CapiHeaderSize + modulusLength} bytes, {capi.Length} are there";
            return null;
        }
        var modulus = capi.Slice(CapiHeaderSize, modulusLength).ToArray();
        // The top byte non-zero: the modulus really has the announced size, so a signature is exactly
        // modulusLength bytes; an even modulus or exponent is no RSA key.
        if (modulus[^1] == 0 || (modulus[0] & 1) == 0 || exponent < 3 || (exponent & 1) == 0)
        {
            reason = "is not a well-formed RSA key";
            return null;
        }
        reason = "";
        return new CapiRsa(modulus, exponent, CapiHeaderSize + modulusLength);
    }

    /// <summary>
    /// RSASSA-PKCS1-v1_5 verification (RFC 8017, 8.2.2) of <paramref name="signatureLittleEndian"/>, stored
    /// least significant byte first as strong-name signatures are, over <paramref name="hash"/>.
    /// </summary>
    /// <remarks>
    /// Done here with <see cref="BigInteger"/> rather than <see cref="RSA.VerifyHash(byte[], byte[], HashAlgorithmName, RSASignaturePadding)"/>:
    /// some Linux crypto policies refuse SHA1 signatures in OpenSSL outright, and strong names are SHA1
    /// almost everywhere. The whole encoded block is rebuilt and compared byte for byte (never parsed),
    /// which is the form of the check that forged-padding attacks cannot get through.
    /// </remarks>
    public bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signatureLittleEndian)
    {
        int k = ModulusLittleEndian.Length;
        if (signatureLittleEndian.Length != k)
            return false;
        var prefix = DigestInfoPrefix(HashAlgorithmId);
        if (hash.Length + prefix.Length + 11 > k)
            return false;
        var n = new BigInteger(ModulusLittleEndian, isUnsigned: true, isBigEndian: false);
        var s = new BigInteger(signatureLittleEndian, isUnsigned: true, isBigEndian: false);
        if (s >= n)
            return false;
        var m = BigInteger.ModPow(s, Exponent, n);
        var encoded = new byte[k];
        int count = m.GetByteCount(isUnsigned: true);
        if (count > k || !m.TryWriteBytes(encoded.AsSpan(k - count), out _, isUnsigned: true, isBigEndian: true))
            return false;

        var expected = new byte[k];
        expected[1] = 0x01;
        int digestStart = k - hash.Length - prefix.Length;
        expected.AsSpan(2, digestStart - 3).Fill(0xFF);
        prefix.CopyTo(expected.AsSpan(digestStart));
        hash.CopyTo(expected.AsSpan(digestStart + prefix.Length));
        return CryptographicOperations.FixedTimeEquals(encoded, expected);
    }

    /// <summary>DER of DigestInfo up to the digest itself (RFC 8017, 9.2, note 1), with NULL parameters as every signer writes them.</summary>
    private static ReadOnlySpan<byte> DigestInfoPrefix(uint hashAlgorithmId) => hashAlgorithmId switch
    {
        CalgSha256 => [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20],
        CalgSha384 => [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30],
        CalgSha512 => [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40],
        _ => [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14],
    };
}
