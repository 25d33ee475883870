using System.Runtime.Loader;
using Mono.Cecil;
using PatchGen.Runtime.Signing;

namespace PatchGen.Runtime.Tests.Signing;

/// <summary>
/// Trusted keys through the public API and PATCHGEN_TRUSTED_KEYS: once a key is trusted, only patches
/// it signed, unchanged since, are enabled; every refusal is PG0006 and leaves nothing loaded.
/// Original: Outer(1) = 21; the test patch makes it 31.
/// </summary>
public sealed class PatchSigningTests : IDisposable
{
    public PatchSigningTests() => TrustedKeys.ResetForTests();

    public void Dispose()
    {
        TrustedKeys.ResetForTests();
        RuntimeFixture.Settle();
    }

    /// <summary>A patch for <paramref name="probe"/> with a string literal (#US) and a managed resource, signed by Cecil with <paramref name="key"/>.</summary>
    private static byte[] SignedPatch(ProbeBase probe, string id, byte[]? key)
    {
        var image = probe.Patch(id, ProbeBase.Inner("x + 2") + "\npublic static string Greeting() => \"hello from the patch\";");
        return key is null ? image : SigningFixture.SignWithCecil(image, key, assembly =>
            assembly.MainModule.Resources.Add(new EmbeddedResource("notes.txt", ManifestResourceAttributes.Public, "release notes of the patch"u8.ToArray())));
    }

    private static string NewSource(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8] + ".dll";

    /// <summary>Refused with PG0006, naming the source, and the process is as it was: no load context, no patch, old code.</summary>
    private static PatchRuntimeException AssertRefused(ProbeBase probe, byte[] image, string id, string source)
    {
        var before = PatchRuntime.GetStatus();
        var e = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(image, source: source));
        Assert.Equal("PG0006", e.DiagnosticId);
        Assert.StartsWith(source + ": ", e.Message);
        Assert.DoesNotContain(AssemblyLoadContext.All, c => c.Name == Path.GetFileNameWithoutExtension(source));
        Assert.DoesNotContain(PatchRuntime.GetStatus().Patches, p => p.Id == id);
        Assert.Equal(before.Patches.Count, PatchRuntime.GetStatus().Patches.Count);
        Assert.Null(PatchRuntime.GetStatus().Transition);
        Assert.Equal(21, probe.Call("Outer", 1));
        return e;
    }

    [Fact]
    public void APatchSignedByATrustedKeyIsEnabledAndShowsItsToken()
    {
        var key = SigningFixture.KeyPair();
        PatchRuntime.TrustPublicKey(key);
        var probe = ProbeBase.Create();
        var image = SignedPatch(probe, "signed-1", key);

        var info = PatchRuntime.Enable(image);
        RuntimeFixture.WaitCompleted();

        Assert.Equal(31, probe.Call("Outer", 1));
        var token = StrongNameKey.FromKeyMaterial(key, out _)!.PublicKeyTokenText;
        Assert.Equal(token, info.PublicKeyToken);
        Assert.Equal(token, PatchRuntime.GetStatus().Patches.Single(p => p.Id == "signed-1").PublicKeyToken);
        PatchRuntime.Disable("signed-1");
        RuntimeFixture.WaitCompleted();
    }

    [Fact]
    public void TheAssemblysOwnPublicKeyCanBeTrustedAndAPathIsCheckedLikeBytes()
    {
        var key = SigningFixture.KeyPair();
        var probe = ProbeBase.Create();
        var image = SignedPatch(probe, "signed-path", key);
        var path = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("signed-path"), "signed-path.dll");
        File.WriteAllBytes(path, image);
        PatchRuntime.TrustPublicKey(System.Reflection.AssemblyName.GetAssemblyName(path).GetPublicKey()!);

        PatchRuntime.Enable(path);
        RuntimeFixture.WaitCompleted();
        Assert.Equal(31, probe.Call("Outer", 1));
        PatchRuntime.Disable("signed-path");
        RuntimeFixture.WaitCompleted();

        File.WriteAllBytes(path, SigningFixture.Flip(image, SigningFixture.Places(image, "Inner", "PatchAttribute")["IL of Inner"]));
        var e = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(path));
        Assert.Equal("PG0006", e.DiagnosticId);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AnUnsignedPatchIsRefusedOnceAKeyIsTrusted()
    {
        var probe = ProbeBase.Create();
        var image = SignedPatch(probe, "unsigned-1", key: null);
        PatchRuntime.TrustPublicKey(SigningFixture.KeyPair());
        var e = AssertRefused(probe, image, "unsigned-1", NewSource("unsigned"));
        Assert.Contains("not strong-name signed", e.Message);
    }

    [Fact]
    public void APatchSignedByAnotherKeyIsRefused()
    {
        PatchRuntime.TrustPublicKey(SigningFixture.KeyPair(slot: 0));
        var probe = ProbeBase.Create();
        var other = SigningFixture.KeyPair(slot: 1);
        var e = AssertRefused(probe, SignedPatch(probe, "other-key", other), "other-key", NewSource("other-key"));
        Assert.Contains(StrongNameKey.FromKeyMaterial(other, out _)!.PublicKeyTokenText, e.Message);
        Assert.Contains("not trusted", e.Message);
    }

    [Fact]
    public void APatchChangedAfterSigningIsRefusedWhereverItWasChanged()
    {
        var key = SigningFixture.KeyPair();
        PatchRuntime.TrustPublicKey(key);
        var probe = ProbeBase.Create();
        var image = SignedPatch(probe, "tampered", key);
        var places = SigningFixture.Places(image, "Inner", "PatchAttribute");
        Assert.Contains("managed resource", places.Keys);

        foreach (var (place, offset) in places)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80 })
            {
                var source = NewSource("tampered");
                var tampered = SigningFixture.Flip(image, offset, mask);
                Assert.False(StrongNameVerifier.Verify(tampered).IsValid, place);
                var e = AssertRefused(probe, tampered, "tampered", source);
                Assert.True(e.Message.Length > source.Length + 10, place);
            }
        }

        // The untouched patch goes through: the refusals were about the changes, not the patch.
        PatchRuntime.Enable(image);
        RuntimeFixture.WaitCompleted();
        Assert.Equal(31, probe.Call("Outer", 1));
        PatchRuntime.Disable("tampered");
        RuntimeFixture.WaitCompleted();
    }

    [Fact]
    public void WithoutTrustedKeysAnyPatchIsAcceptedAsBeforeAndOnlyAValidSignatureShowsAToken()
    {
        var key = SigningFixture.KeyPair();
        var probe = ProbeBase.Create();
        var unsigned = PatchRuntime.Enable(SignedPatch(probe, "free-unsigned", null));
        RuntimeFixture.WaitCompleted();
        Assert.Null(unsigned.PublicKeyToken);
        PatchRuntime.Disable("free-unsigned");
        RuntimeFixture.WaitCompleted();

        var signed = SignedPatch(probe, "free-signed", key);
        Assert.NotNull(PatchRuntime.Enable(signed).PublicKeyToken);
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Disable("free-signed");
        RuntimeFixture.WaitCompleted();

        var changed = SignedPatch(probe, "free-changed", key);
        var info = PatchRuntime.Enable(SigningFixture.Flip(changed, SigningFixture.Places(changed, "Greeting", "PatchAttribute")["#US"]));
        Assert.Null(info.PublicKeyToken);
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Disable("free-changed");
        RuntimeFixture.WaitCompleted();
    }

    [Fact]
    public void TheVerifiedBytesAreTheLoadedBytesEvenIfTheCallerChangesItsArray()
    {
        var key = SigningFixture.KeyPair();
        PatchRuntime.TrustPublicKey(key);
        var probe = ProbeBase.Create();
        var image = SignedPatch(probe, "copied", key);
        var info = PatchRuntime.Enable(image);
        image.AsSpan().Clear();
        RuntimeFixture.WaitCompleted();
        Assert.Equal("copied", info.Id);
        Assert.Equal(31, probe.Call("Outer", 1));
        PatchRuntime.Disable("copied");
        RuntimeFixture.WaitCompleted();
    }

    [Fact]
    public void TrustPublicKeyRejectsWhatIsNoKey()
    {
        Assert.Throws<ArgumentNullException>(() => PatchRuntime.TrustPublicKey(null!));
        var e = Assert.Throws<ArgumentException>(() => PatchRuntime.TrustPublicKey("-----BEGIN PUBLIC KEY-----"u8.ToArray()));
        Assert.Contains("not a strong-name public key", e.Message);
        // Nothing was trusted: unsigned patches still go through.
        var probe = ProbeBase.Create();
        PatchRuntime.Enable(SignedPatch(probe, "still-free", null));
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Disable("still-free");
        RuntimeFixture.WaitCompleted();
    }

    [Fact]
    public void TheEnvironmentListIsSplitOnThePathSeparator()
    {
        char s = Path.PathSeparator;
        Assert.Empty(TrustedKeys.SplitList(null));
        Assert.Empty(TrustedKeys.SplitList(""));
        Assert.Empty(TrustedKeys.SplitList($" {s}{s} "));
        Assert.Equal(new[] { "/keys/a.snk", "/keys/b c.pub" }, TrustedKeys.SplitList($" /keys/a.snk {s}{s}/keys/b c.pub{s}"));
    }

    [Fact]
    public void KeyFilesFromTheEnvironmentAreTrustedAndReadOnce()
    {
        var directory = PatchGen.TestSupport.InlineAssembly.TempDirectory("trusted-keys");
        var pair = Path.Combine(directory, "ops.snk");
        var publicOnly = Path.Combine(directory, "release.pub");
        File.WriteAllBytes(pair, SigningFixture.KeyPair(slot: 0));
        File.WriteAllBytes(publicOnly, SigningFixture.PublicKeyBlobOf(SigningFixture.KeyPair(slot: 1)));
        int reads = 0;
        TrustedKeys.ResetForTests(() => { reads++; return $"{pair}{Path.PathSeparator} {publicOnly} "; });

        var probe = ProbeBase.Create();
        PatchRuntime.Enable(SignedPatch(probe, "env-0", SigningFixture.KeyPair(slot: 0)));
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Disable("env-0");
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Enable(SignedPatch(probe, "env-1", SigningFixture.KeyPair(slot: 1)));
        RuntimeFixture.WaitCompleted();
        PatchRuntime.Disable("env-1");
        RuntimeFixture.WaitCompleted();
        AssertRefused(probe, SignedPatch(probe, "env-2", SigningFixture.KeyPair(slot: 2)), "env-2", NewSource("env-2"));
        AssertRefused(probe, SignedPatch(probe, "env-none", null), "env-none", NewSource("env-none"));
        Assert.Equal(1, reads);
    }

    [Fact]
    public void AnUnreadableKeyFileRefusesEveryPatchNamingTheFile()
    {
        var directory = PatchGen.TestSupport.InlineAssembly.TempDirectory("trusted-keys-bad");
        var good = Path.Combine(directory, "good.snk");
        var missing = Path.Combine(directory, "missing.snk");
        File.WriteAllBytes(good, SigningFixture.KeyPair());
        TrustedKeys.ResetForTests(() => good + Path.PathSeparator + missing);
        var probe = ProbeBase.Create();
        var signedByGood = SignedPatch(probe, "env-missing", SigningFixture.KeyPair());

        // Fail closed: the operator meant patches to be checked, and one of the keys is not there.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var e = AssertRefused(probe, signedByGood, "env-missing", NewSource("env-missing"));
            Assert.Contains(missing, e.Message);
            Assert.Contains("file not found", e.Message);
        }

        var notAKey = Path.Combine(directory, "notes.txt");
        File.WriteAllText(notAKey, "this is not a key");
        TrustedKeys.ResetForTests(() => notAKey);
        var notKey = AssertRefused(probe, signedByGood, "env-missing", NewSource("env-not-key"));
        Assert.Contains(notAKey, notKey.Message);
        Assert.Contains("not a strong-name public key", notKey.Message);
    }

    [Fact]
    public void BytesThatAreNoAssemblyArePG0006WhenKeysAreTrusted()
    {
        PatchRuntime.TrustPublicKey(SigningFixture.KeyPair());
        var e = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(new byte[] { 1, 2, 3, 4 }));
        Assert.Equal("PG0006", e.DiagnosticId);
        Assert.Contains("not a managed assembly", e.Message);
    }
}
