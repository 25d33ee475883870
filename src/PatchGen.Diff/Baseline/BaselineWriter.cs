using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff.Baseline;

/// <summary>
/// Writes the baseline manifest of a build (docs/baseline-manifest.md): <c>patchgen baseline</c>
/// and the MSBuild integration call this after a patchable build. An instrumented build is described
/// as the build it was made from (the same body hashes as the plain build), with its own MVID,
/// which is what patches bind to.
/// </summary>
public static class BaselineWriter
{
    /// <summary>Describes <paramref name="assemblyPath"/>; input problems throw a <see cref="PatchGenException"/> with PG0001.</summary>
    /// <param name="sourceFiles">The C# sources to fingerprint static initialization from; null: those the PDB names.</param>
    /// <param name="preprocessorSymbols">With <paramref name="sourceFiles"/>: the symbols to parse them with.</param>
    internal static BaselineManifest Describe(string assemblyPath, IEnumerable<string>? sourceFiles = null, IEnumerable<string>? preprocessorSymbols = null)
    {
        using var input = AssemblyInput.Load(assemblyPath);
        var mvid = input.Mvid;
        if (AssemblyDiffer.HasPatchSites(input))
            InstrumentationView.Restore(input.Module);
        var sources = sourceFiles is null
            ? PdbSources.FromPdb(assemblyPath)
            : PdbSources.FromFiles(sourceFiles, preprocessorSymbols ?? Array.Empty<string>());
        return BaselineBuilder.Build(input, mvid, sources);
    }

    /// <summary>
    /// Writes the manifest of <paramref name="assemblyPath"/> to <paramref name="outputPath"/>: to a
    /// temporary file beside it, then moved over it, so a failure never leaves half a manifest.
    /// </summary>
    public static void Write(string assemblyPath, string outputPath, IEnumerable<string>? sourceFiles = null, IEnumerable<string>? preprocessorSymbols = null)
    {
        var bytes = BaselineText.WriteBytes(Describe(assemblyPath, sourceFiles, preprocessorSymbols));
        var full = Path.GetFullPath(outputPath);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PatchGenException(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, outputPath, "cannot be written: " + e.Message));
        }
        finally
        {
            try
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless; the error that matters is already on its way.
            }
        }
    }
}
