namespace PatchGen.Runtime.Signing;

/// <summary>What <see cref="StrongNameVerifier"/> found in an image.</summary>
internal sealed class StrongNameVerification
{
    private StrongNameVerification(bool isAssembly, bool hasSignature, byte[]? publicKey, StrongNameKey? key, bool isValid, string? failure)
    {
        IsAssembly = isAssembly;
        HasSignature = hasSignature;
        PublicKey = publicKey;
        PublicKeyToken = publicKey is null ? null : StrongNameKey.TokenOf(publicKey);
        Key = key;
        IsValid = isValid;
        Failure = failure;
    }

    /// <summary>Whether the bytes are a managed assembly at all (false: Failure says what they are not).</summary>
    public bool IsAssembly { get; }

    /// <summary>Whether the assembly has a public key and room for a strong-name signature (valid or not).</summary>
    public bool HasSignature { get; }

    /// <summary>The assembly definition's public key blob, or null when it has none.</summary>
    public byte[]? PublicKey { get; }

    /// <summary>The token of <see cref="PublicKey"/>, whether or not it is a usable key.</summary>
    public byte[]? PublicKeyToken { get; }

    public string? PublicKeyTokenText => PublicKeyToken is null ? null : Convert.ToHexStringLower(PublicKeyToken);

    /// <summary>The parsed public key, when it is a usable RSA key.</summary>
    public StrongNameKey? Key { get; }

    /// <summary>Whether the signature verifies against <see cref="PublicKey"/> over the whole image.</summary>
    public bool IsValid { get; }

    /// <summary>Why it is not valid (a clause that follows "the patch: "), or null when it is.</summary>
    public string? Failure { get; }

    public static StrongNameVerification NotAnAssembly(string reason) => new(false, false, null, null, false, reason);

    public static StrongNameVerification Unsigned(byte[]? publicKey, string reason) => new(true, false, publicKey, null, false, reason);

    public static StrongNameVerification Invalid(byte[] publicKey, StrongNameKey? key, string reason) => new(true, true, publicKey, key, false, reason);

    public static StrongNameVerification Valid(byte[] publicKey, StrongNameKey key) => new(true, true, publicKey, key, true, null);
}
