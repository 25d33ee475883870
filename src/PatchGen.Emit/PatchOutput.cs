using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

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
        byte[] key;
        try
        {
            key = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(path, File.Exists(path) ? "cannot be read: " + e.Message : Directory.Exists(path) ? "is a directory, not a key file" : "key file not found");
        }
        // Checked before anything is built: a key that cannot sign is an input error (exit 2), not
        // something to find out after the diff.
        try
        {
            using var rsa = new System.Security.Cryptography.RSACryptoServiceProvider();
            rsa.ImportCspBlob(key);
            if (rsa.PublicOnly)
                throw Error(path, "holds only a public key; signing needs the key pair (.snk from 'sn -k')");
        }
        catch (Exception e) when (e is not PatchGenException and not OutOfMemoryException)
        {
            throw Error(path, "not a usable strong-name key pair (.snk): " + e.Message);
        }
        return key;
    }

    public static void Write(ModuleDefinition module, string outputPath, byte[]? key, string? keyPath)
    {
        var fullOutput = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(fullOutput)!;
        bool createdDirectory = !Directory.Exists(directory);
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
            createdDirectory = false;
        }
        catch (AssemblyResolutionException e)
        {
            // An input problem, not the output's: a dependency of the inputs is missing from their folders.
            throw Error(e.AssemblyReference.FullName, "not found beside the base or the fix; the patch needs it to be written (" + Path.GetFileName(outputPath) + ")");
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
            if (createdDirectory)
                TryDeleteEmpty(directory);
        }
    }

    private static void TryDeleteEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                Directory.Delete(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }

    private static PatchGenException Error(string path, string reason)
        => new(new PatchDiagnostic(DiagnosticCatalog.InputUnreadable.Id, DiagnosticSeverity.Error, null, $"{path}: {reason}", null, null));
}
