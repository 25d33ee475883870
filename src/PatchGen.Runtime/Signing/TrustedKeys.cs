using PatchGen.Diagnostics;

namespace PatchGen.Runtime.Signing;

/// <summary>
/// The strong-name keys a patch must be signed by: those given to <see cref="PatchRuntime.TrustPublicKey"/>
/// and those in the files <c>PATCHGEN_TRUSTED_KEYS</c> lists. With none, any patch is accepted, signed
/// or not (as before signing existed); with at least one, only a patch whose signature verifies and
/// whose key is one of them (docs/patch-signing.md).
/// </summary>
internal static class TrustedKeys
{
    public const string EnvironmentVariable = "PATCHGEN_TRUSTED_KEYS";

    private static readonly object Gate = new();
    private static readonly List<StrongNameKey> s_trusted = new();
    private static Func<string?> s_readEnvironment = () => Environment.GetEnvironmentVariable(EnvironmentVariable);

    // Read once, the first time a patch is checked; null until then.
    private static KeyList? s_fromEnvironment;

    /// <summary>The keys of one PATCHGEN_TRUSTED_KEYS value, or why one of its files could not be used.</summary>
    internal sealed record KeyList(IReadOnlyList<StrongNameKey> Keys, string? Failure);

    /// <summary>Trusts the key in <paramref name="keyMaterial"/> (public key blob or .snk key pair).</summary>
    public static StrongNameKey Trust(byte[] keyMaterial)
    {
        ArgumentNullException.ThrowIfNull(keyMaterial);
        var key = StrongNameKey.FromKeyMaterial(keyMaterial, out var reason)
            ?? throw new ArgumentException("not a strong-name public key or key pair: " + reason, nameof(keyMaterial));
        lock (Gate)
        {
            if (!s_trusted.Any(k => k.SameKeyAs(key)))
                s_trusted.Add(key);
        }
        return key;
    }

    /// <summary>
    /// Verifies <paramref name="image"/> and, when any key is trusted, refuses it with PG0006 unless
    /// it is signed by one of them and its signature verifies. Returns what the verifier found (the
    /// status shows the token of a patch whose signature verified, trusted keys or not).
    /// </summary>
    public static StrongNameVerification Authorize(byte[] image, string source)
    {
        StrongNameKey[] trusted;
        string? failure;
        lock (Gate)
        {
            s_fromEnvironment ??= Load(s_readEnvironment());
            trusted = s_trusted.Concat(s_fromEnvironment.Keys).ToArray();
            failure = s_fromEnvironment.Failure;
        }
        // A key file that cannot be read fails closed: whoever listed it meant patches to be checked.
        if (failure is not null)
            throw new PatchRuntimeException(DiagnosticCatalog.PatchSignatureInvalid, source, failure);

        var result = StrongNameVerifier.Verify(image);
        if (trusted.Length == 0)
            return result;
        // Bytes that do not even parse are refused as unsigned too (PG0006, not PG0001): a signed patch
        // whose headers were damaged must read as what it is, a patch that failed verification.
        if (!result.HasSignature)
            throw new PatchRuntimeException(DiagnosticCatalog.PatchSignatureInvalid, source, result.Failure + "; only patches signed by a trusted key can be enabled");
        if (!result.IsValid)
            throw new PatchRuntimeException(DiagnosticCatalog.PatchSignatureInvalid, source, result.Failure!);
        if (!trusted.Any(k => k.Accepts(result.Key!)))
            throw new PatchRuntimeException(DiagnosticCatalog.PatchSignatureInvalid, source,
                $"it is signed by key {result.PublicKeyTokenText}{(result.Key!.HashAlgorithmId == StrongNameKey.CalgSha1 ? "" : " (" + result.Key.HashAlgorithm.Name + ")")}, which is not trusted (PatchRuntime.TrustPublicKey, {EnvironmentVariable})");
        return result;
    }

    /// <summary>
    /// Reads the key files of a PATCHGEN_TRUSTED_KEYS value: paths separated by
    /// <see cref="Path.PathSeparator"/>, surrounding blanks and empty entries ignored. Stops at the
    /// first file that cannot be read or is no key.
    /// </summary>
    internal static KeyList Load(string? value)
    {
        var keys = new List<StrongNameKey>();
        foreach (var path in SplitList(value))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                var why = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
                return new KeyList(keys, $"the trusted key file '{path}' listed in {EnvironmentVariable} cannot be read ({why}), so no patch can be enabled");
            }
            var key = StrongNameKey.FromKeyMaterial(bytes, out var reason);
            if (key is null)
                return new KeyList(keys, $"the trusted key file '{path}' listed in {EnvironmentVariable} is not a strong-name public key or key pair ({reason}), so no patch can be enabled");
            keys.Add(key);
        }
        return new KeyList(keys, null);
    }

    internal static IReadOnlyList<string> SplitList(string? value)
        => string.IsNullOrEmpty(value)
            ? Array.Empty<string>()
            : value.Split(Path.PathSeparator).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();

    /// <summary>
    /// For tests: forgets every trusted key and reads the environment again, through
    /// <paramref name="environment"/> (default: as if PATCHGEN_TRUSTED_KEYS were not set), the next
    /// time a patch is checked.
    /// </summary>
    internal static void ResetForTests(Func<string?>? environment = null)
    {
        lock (Gate)
        {
            s_trusted.Clear();
            s_fromEnvironment = null;
            s_readEnvironment = environment ?? (() => null);
        }
    }
}
