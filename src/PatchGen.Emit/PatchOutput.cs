using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>
/// Writes the patch: one file (the portable PDB is embedded, so a patch travels as one file to
/// the process that applies it), signed if asked, deterministic (same inputs, same bytes), written
/// to a temporary file beside the output and moved over it only when complete.
/// </summary>
internal static class PatchOutput
{
    public static byte[]? ReadKey(string? path)
    {
        if (path is null)
            return null;
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(path, File.Exists(path) ? "cannot be read: " + e.Message : Directory.Exists(path) ? "is a directory, not a key file" : "key file not found");
        }
    }

    public static void Write(ModuleDefinition module, string outputPath, byte[]? key, string? keyPath)
    {
        var fullOutput = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(fullOutput)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(outputPath, "cannot create the output folder: " + e.Message);
        }

        var temp = Path.Combine(directory, "." + Path.GetFileName(fullOutput) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var parameters = new WriterParameters
            {
                DeterministicMvid = true,
                Timestamp = 0,
                WriteSymbols = true,
                SymbolWriterProvider = new EmbeddedPortablePdbWriterProvider(),
                StrongNameKeyBlob = key,
            };
            using (var stream = File.Create(temp))
            {
                try
                {
                    module.Assembly.Write(stream, parameters);
                }
                catch (Exception e) when (key != null && e is System.Security.Cryptography.CryptographicException or ArgumentException or IndexOutOfRangeException)
                {
                    throw Error(keyPath!, "not a usable strong-name key pair (.snk): " + e.Message);
                }
            }
            File.Move(temp, fullOutput, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(outputPath, "cannot be written: " + e.Message);
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
                // Best effort: the output itself is either complete or untouched.
            }
        }
    }

    private static PatchGenException Error(string path, string reason)
        => new(new PatchDiagnostic(DiagnosticCatalog.InputUnreadable.Id, DiagnosticSeverity.Error, null, $"{path}: {reason}", null, null));
}
