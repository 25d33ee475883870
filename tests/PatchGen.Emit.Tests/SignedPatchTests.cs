using System.Security.Cryptography;
using PatchGen.Diagnostics;
using PatchGen.Runtime;
using PatchGen.Runtime.Signing;

namespace PatchGen.Emit.Tests;

/// <summary>
/// <c>patchgen build --sign</c> end to end: the emitter signs the patch with a strong-name key pair;
/// a runtime that trusts the key enables it, and refuses (PG0006, nothing applied) the same patch
/// unsigned, signed by another key, or changed by one byte after signing.
/// </summary>
public sealed class SignedPatchTests : IDisposable
{
    private const string V1 = "namespace Signed; public static class Rates { public static int Fee(int amount) => amount / 10; }";
    private const string V2 = "namespace Signed; public static class Rates { public static int Fee(int amount) => amount / 20; }";

    public SignedPatchTests() => TrustedKeys.ResetForTests(() => null);

    public void Dispose() => TrustedKeys.ResetForTests();

    [Fact]
    public void TrustedRuntimeEnablesTheSignedPatchAndRefusesUnsignedOtherKeyAndTampered()
    {
        var patch = InlinePatch.Create("signed", V1, V2);
        var key = WriteKey(patch.Directory, "trusted.snk");
        var other = WriteKey(patch.Directory, "other.snk");
        var signed = Rebuild(patch, "signed-ok.dll", key);
        var otherSigned = Rebuild(patch, "signed-other.dll", other);
        var tampered = Path.Combine(patch.Directory, "tampered.dll");
        var bytes = File.ReadAllBytes(signed);
        int at = IndexOf(bytes, "Signed.Rates"u8.ToArray()); // a #Strings byte of the patch's holder type name
        bytes[at] ^= 0x20;
        File.WriteAllBytes(tampered, bytes);

        Assert.True(PatchInspector.Inspect(signed).Signature is { Signed: true, Valid: true });
        Assert.True(PatchInspector.Inspect(tampered).Signature is { Signed: true, Valid: false });
        Assert.False(PatchInspector.Inspect(patch.PatchPath).Signature.Signed);

        PatchRuntime.TrustPublicKey(File.ReadAllBytes(key));
        foreach (var refused in new[] { patch.PatchPath, otherSigned, tampered })
        {
            var error = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(refused));
            Assert.Equal(DiagnosticCatalog.PatchSignatureInvalid.Id, error.DiagnosticId);
            Assert.DoesNotContain(PatchRuntime.GetStatus().Patches, p => p.Id == "signed");
            Assert.Equal(10, patch.Call("Signed.Rates", "Fee", 100));
        }

        var info = PatchRuntime.Enable(signed);
        try
        {
            Transitions.Complete();
            Assert.Equal(5, patch.Call("Signed.Rates", "Fee", 100));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(10));
        }
    }

    private static string Rebuild(InlinePatch patch, string name, string key)
    {
        var output = Path.Combine(patch.Directory, name);
        var build = PatchBuilder.Build(new PatchBuildOptions(patch.Build.Diff.Base.Path, patch.Build.Diff.New.Path, output) { PatchId = "signed", KeyFile = key });
        Assert.Equal(0, build.ExitCode);
        return output;
    }

    private static string WriteKey(string directory, string name)
    {
        using var rsa = new RSACryptoServiceProvider(1024);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, rsa.ExportCspBlob(includePrivateParameters: true));
        return path;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        }
        throw new InvalidOperationException("not found");
    }
}
