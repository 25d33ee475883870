using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PatchGen.Runtime.Signing;

/// <summary>
/// Verifies the strong-name signature of a PE image, which .NET Core never does itself: the hash the
/// signature covers, computed exactly as signers compute it (the CLR's <c>ComputeHash</c> in
/// <c>StrongName.cpp</c>, <c>ManagedPEBuilder</c>/Roslyn's <c>GetContentToSign</c>, Mono.Cecil's
/// <c>CryptoService.HashStream</c>), then an RSA PKCS#1 v1.5 check against the assembly's own public
/// key. Never throws: whatever is malformed is an invalid result with its reason.
/// </summary>
/// <remarks>
/// <para>The hash covers, in this order:</para>
/// <list type="number">
/// <item>the DOS header and stub, from the start of the file to the PE signature;</item>
/// <item>the PE signature, COFF header and optional header, with <c>CheckSum</c> (4 bytes) and the
/// certificate table entry of the data directory (8 bytes) hashed as zeros, because Authenticode
/// signing after strong-name signing rewrites both;</item>
/// <item>the section table;</item>
/// <item>every section's raw data (<c>PointerToRawData</c>, <c>SizeOfRawData</c> bytes, file
/// alignment padding included), in section table order, minus the signature blob (the strong-name
/// directory of the CLI header).</item>
/// </list>
/// <para>So the real algorithm leaves these bytes unhashed: the checksum field, the certificate table
/// entry, the signature blob, the padding between the end of the section table and the first
/// section (<c>SizeOfHeaders</c> is file-aligned, the hash stops at the section table), any gap
/// between sections, and anything after the last section (where an Authenticode certificate table
/// lives). Signers write zeros in the padding and nothing after the last section, so this verifier
/// requires exactly that: every unhashed byte except the checksum and the signature must be zero,
/// the certificate table entry must be empty, and nothing may follow the sections but zeros. The
/// checksum stays free: the loader never reads it for an IL image, and tools may legitimately stamp
/// it after signing. The signature blob holds the signature in its first modulus-length bytes and
/// zeros after (signers reserve at least 128 bytes), so no unverified byte hides in it either. The optional header must have its standard size with 16 directories:
/// the CLR hashes a fixed-size copy of it while Roslyn and Cecil hash the headers as one run, and
/// only for the standard layout are the two the same bytes.</para>
/// </remarks>
internal static class StrongNameVerifier
{
    private const int SectionHeaderSize = 40;
    private const int CheckSumFieldOffset = 64;             // within the optional header, PE32 and PE32+
    private const int CertificateEntryOffsetPE32 = 128;     // data directory 4 (96 + 4 * 8)
    private const int CertificateEntryOffsetPE32Plus = 144; // data directory 4 (112 + 4 * 8)

    public static StrongNameVerification Verify(byte[] image)
    {
        try
        {
            return VerifyCore(image);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PEReader and MetadataReader throw BadImageFormatException on most corruption, but other
            // types on some; every one of them means the same thing here.
            return StrongNameVerification.NotAnAssembly("not a managed assembly (" + e.Message + ")");
        }
    }

    private static StrongNameVerification VerifyCore(byte[] image)
    {
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(image));
        var headers = pe.PEHeaders;
        if (headers.CorHeader is null || headers.PEHeader is null || !pe.HasMetadata)
            return StrongNameVerification.NotAnAssembly("not a managed assembly");
        var metadata = pe.GetMetadataReader();
        if (!metadata.IsAssembly)
            return StrongNameVerification.NotAnAssembly("not an assembly (it has no assembly manifest)");
        var publicKey = metadata.GetBlobBytes(metadata.GetAssemblyDefinition().PublicKey);
        if (publicKey.Length == 0)
            return StrongNameVerification.Unsigned(null, "it is not strong-name signed (it has no public key)");
        var directory = headers.CorHeader.StrongNameSignatureDirectory;
        if (directory.Size == 0)
            return StrongNameVerification.Unsigned(publicKey, "it has a public key but no strong-name signature");

        var key = StrongNameKey.FromAssemblyPublicKey(publicKey, out var keyProblem);
        if (key is null)
            return StrongNameVerification.Invalid(publicKey, null, keyProblem);
        int signatureLength = key.ModulusLittleEndian.Length;
        if (directory.Size < signatureLength)
            return StrongNameVerification.Invalid(publicKey, key, $"its strong-name signature is {directory.Size} bytes, but a signature by its {signatureLength * 8}-bit key is {signatureLength}");

        var layout = Layout.Read(image, headers, directory, out var layoutProblem);
        if (layout is null)
            return StrongNameVerification.Invalid(publicKey, key, layoutProblem);

        // Signers reserve at least 128 bytes (Roslyn, al, ilasm), so a key under 1024 bits leaves the
        // end of the blob unused: the signature is its first modulus-length bytes, least significant
        // first, and the rest, being the signature's high-order end, must be zero. That is how the CLR
        // read it too (the whole blob as one little-endian number), and it leaves no unverified byte.
        var signature = image.AsSpan(layout.SignatureOffset, signatureLength);
        if (image.AsSpan(layout.SignatureOffset + signatureLength, directory.Size - signatureLength).IndexOfAnyExcept((byte)0) >= 0)
            return StrongNameVerification.Invalid(publicKey, key, $"its strong-name signature blob has data after the {signatureLength} bytes a signature by its key takes");
        if (signature.IndexOfAnyExcept((byte)0) < 0)
            return StrongNameVerification.Invalid(publicKey, key, "its strong-name signature is empty (it was delay-signed or public-signed, never signed with the private key)");
        var hash = ComputeHash(image, layout, key.HashAlgorithm);
        if (!key.VerifyHash(hash, signature))
            return StrongNameVerification.Invalid(publicKey, key, $"its strong-name signature does not verify against its public key (token {key.PublicKeyTokenText}): it was changed after it was signed");
        return StrongNameVerification.Valid(publicKey, key);
    }

    /// <summary>The strong-name hash of <paramref name="image"/> (see the type's remarks for which bytes it covers).</summary>
    internal static byte[] ComputeHash(byte[] image, Layout layout, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        hash.AppendData(image, 0, layout.NtHeadersOffset);

        var ntHeaders = image.AsSpan(layout.NtHeadersOffset, layout.SectionTableOffset - layout.NtHeadersOffset).ToArray();
        ntHeaders.AsSpan(layout.CheckSumOffset - layout.NtHeadersOffset, 4).Clear();
        ntHeaders.AsSpan(layout.CertificateEntryOffset - layout.NtHeadersOffset, 8).Clear();
        hash.AppendData(ntHeaders);

        hash.AppendData(image, layout.SectionTableOffset, layout.HeadersEnd - layout.SectionTableOffset);

        int signatureStart = layout.SignatureOffset, signatureEnd = layout.SignatureOffset + layout.SignatureSize;
        foreach (var (start, end) in layout.Sections)
        {
            if (signatureEnd <= start || signatureStart >= end)
            {
                hash.AppendData(image, start, end - start);
                continue;
            }
            // Layout guarantees the signature lies wholly inside this section.
            hash.AppendData(image, start, signatureStart - start);
            hash.AppendData(image, signatureEnd, end - signatureEnd);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Where the parts of the hash are in the file, once the file is known to be laid out the way signers lay it out.</summary>
    internal sealed class Layout
    {
        private Layout(int ntHeadersOffset, int sectionTableOffset, int headersEnd, int checkSumOffset, int certificateEntryOffset, List<(int Start, int End)> sections, int signatureOffset, int signatureSize)
        {
            NtHeadersOffset = ntHeadersOffset;
            SectionTableOffset = sectionTableOffset;
            HeadersEnd = headersEnd;
            CheckSumOffset = checkSumOffset;
            CertificateEntryOffset = certificateEntryOffset;
            Sections = sections;
            SignatureOffset = signatureOffset;
            SignatureSize = signatureSize;
        }

        public int NtHeadersOffset { get; }

        public int SectionTableOffset { get; }

        public int HeadersEnd { get; }

        public int CheckSumOffset { get; }

        public int CertificateEntryOffset { get; }

        /// <summary>Raw data of each section with any, in section table order (also file order: checked).</summary>
        public List<(int Start, int End)> Sections { get; }

        public int SignatureOffset { get; }

        public int SignatureSize { get; }

        public static Layout? Read(byte[] image, PEHeaders headers, DirectoryEntry signature, out string problem)
        {
            var peHeader = headers.PEHeader!;
            bool pe32Plus = peHeader.Magic == PEMagic.PE32Plus;
            int ntHeaders = headers.CoffHeaderStartOffset - 4;
            int optionalHeader = headers.PEHeaderStartOffset;
            int optionalSize = headers.CoffHeader.SizeOfOptionalHeader;
            if (optionalSize != (pe32Plus ? 240 : 224) || peHeader.NumberOfRvaAndSizes != 16)
            {
                problem = $"its optional header is not the standard one ({optionalSize} bytes, {peHeader.NumberOfRvaAndSizes} directories), which strong-name hashing does not define";
                return null;
            }
            int sectionTable = optionalHeader + optionalSize;
            int headersEnd = sectionTable + SectionHeaderSize * headers.SectionHeaders.Length;
            int certificateEntry = optionalHeader + (pe32Plus ? CertificateEntryOffsetPE32Plus : CertificateEntryOffsetPE32);
            if (headersEnd > image.Length)
            {
                problem = "its section table runs past the end of the file";
                return null;
            }
            if (image.AsSpan(certificateEntry, 8).IndexOfAnyExcept((byte)0) >= 0)
            {
                problem = "it carries an Authenticode certificate table, which the strong-name signature does not cover (sign patches with a strong name only)";
                return null;
            }

            var sections = new List<(int Start, int End)>();
            int covered = headersEnd;
            foreach (var section in headers.SectionHeaders)
            {
                if (section.SizeOfRawData == 0)
                    continue;
                long start = section.PointerToRawData, end = start + section.SizeOfRawData;
                if (start < covered || end > image.Length)
                {
                    problem = $"its section {section.Name} overlaps another part of the file or runs past its end";
                    return null;
                }
                // Whatever lies between two hashed runs is not covered by the signature: it must be
                // the zero padding signers write, never data.
                if (image.AsSpan(covered, (int)start - covered).IndexOfAnyExcept((byte)0) >= 0)
                {
                    problem = $"it has data before section {section.Name} that the strong-name signature does not cover";
                    return null;
                }
                sections.Add(((int)start, (int)end));
                covered = (int)end;
            }
            if (image.AsSpan(covered).IndexOfAnyExcept((byte)0) >= 0)
            {
                problem = "it has data after its last section that the strong-name signature does not cover";
                return null;
            }

            if (!headers.TryGetDirectoryOffset(signature, out int signatureOffset)
                || !sections.Any(s => signatureOffset >= s.Start && signatureOffset + (long)signature.Size <= s.End))
            {
                problem = "its strong-name signature directory does not point inside a section";
                return null;
            }
            problem = "";
            return new Layout(ntHeaders, sectionTable, headersEnd, optionalHeader + CheckSumFieldOffset, certificateEntry, sections, signatureOffset, signature.Size);
        }
    }
}
