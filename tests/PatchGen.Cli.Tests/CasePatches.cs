using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// What the build and inspect tests share: a testdata case made ready for <c>patchgen build</c> the
/// way a user would (v1 instrumented with <c>patchgen instrument</c>), and readers for what the
/// commands print.
/// </summary>
internal static partial class CasePatches
{
    /// <param name="Directory">A fresh folder of the test's own, for outputs.</param>
    /// <param name="PlainBase">v1 as compiled, without patch sites.</param>
    /// <param name="Base">v1 after <c>patchgen instrument</c>: what production runs.</param>
    /// <param name="New">v2 as compiled: the fix.</param>
    public sealed record Pair(string Directory, string PlainBase, string Base, string New);

    public static Pair Instrumented(string caseName)
    {
        var directory = InlineAssembly.TempDirectory("build-" + caseName);
        var plain = CaseCompiler.Compile(caseName, "v1").AssemblyPath;
        // Instrumented into the test's folder: the compiled case is cached and shared by every test.
        var instrumented = Path.Combine(directory, "base", CaseCompiler.AssemblyName + ".dll");
        var outcome = CliRunner.Run("instrument", plain, "-o", instrumented);
        Assert.True(outcome.ExitCode == 0, outcome.StdOut + outcome.StdErr);
        return new Pair(directory, plain, instrumented, CaseCompiler.Compile(caseName, "v2").AssemblyPath);
    }

    public static Guid MvidOf(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }

    /// <summary>The <c>  M:... (site N)</c> lines that both <c>build</c> and <c>inspect</c> print for each replaced method.</summary>
    public static List<(string Member, int Site)> ReplacedMethods(string stdout)
        => ReplacedLine().Matches(stdout).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

    /// <summary>Every diagnostic printed, as "severity ID", sorted: the text of diff and build use the same canonical form.</summary>
    public static List<string> DiagnosticIds(string stdout)
        => DiagnosticLine().Matches(stdout).Select(m => m.Groups[1].Value + " " + m.Groups[2].Value).Order(StringComparer.Ordinal).ToList();

    /// <summary>Everything in a folder, so that a test can tell that a failed build left nothing behind (not even a temp file).</summary>
    public static List<string> Entries(string directory)
        => System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : new List<string>();

    /// <summary>A fresh strong-name key pair, as <c>sn -k</c> writes it.</summary>
    public static string NewKey(string directory, string name)
    {
        using var rsa = new RSACryptoServiceProvider(1024);
        var path = Path.Combine(directory, name + ".snk");
        File.WriteAllBytes(path, rsa.ExportCspBlob(includePrivateParameters: true));
        return path;
    }

    /// <summary>
    /// The public key token a key gives, as the C# compiler computes it when it signs with it: an
    /// oracle independent of PatchGen's own reading of the patch.
    /// </summary>
    public static string TokenOf(string snk)
    {
        var tree = CSharpSyntaxTree.ParseText("namespace Signed; public class C { }");
        var compilation = CaseCompiler.CreateCompilation("Signed", new[] { tree });
        compilation = compilation.WithOptions(compilation.Options.WithCryptoKeyFile(snk).WithStrongNameProvider(new DesktopStrongNameProvider()));
        var path = Path.Combine(InlineAssembly.TempDirectory("token"), "Signed.dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return Convert.ToHexString(AssemblyName.GetAssemblyName(path).GetPublicKeyToken()!).ToLowerInvariant();
    }

    /// <summary>Whether the file carries a strong-name signature (the flag and a non-zero blob); not whether it verifies.</summary>
    public static bool HasStrongNameSignature(string path)
    {
        var image = File.ReadAllBytes(path);
        using var pe = new PEReader(new MemoryStream(image));
        var directory = pe.PEHeaders.CorHeader!.StrongNameSignatureDirectory;
        if ((pe.PEHeaders.CorHeader.Flags & CorFlags.StrongNameSigned) == 0 || directory.Size == 0)
            return false;
        Assert.True(pe.PEHeaders.TryGetDirectoryOffset(directory, out int offset));
        return image.AsSpan(offset, directory.Size).IndexOfAnyExcept((byte)0) >= 0;
    }

    [GeneratedRegex(@"^  (\S+) \(site (\d+)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex ReplacedLine();

    [GeneratedRegex(@"\b(error|warning|info) (PG\d{4}): ")]
    private static partial Regex DiagnosticLine();
}
