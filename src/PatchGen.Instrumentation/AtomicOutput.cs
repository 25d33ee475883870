using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Writes the rewritten assembly (and its PDB, when the input had one beside it) to temporary files in
/// the output folder and only then moves them over the output, so that a failure never leaves a
/// half-written assembly, and instrumenting in place never destroys the input.
/// </summary>
internal static class AtomicOutput
{
    public static void Write(InstrumentInput input, string outputPath, byte[]? strongNameKey, string? keyPath)
    {
        var fullOutput = Path.GetFullPath(outputPath);
        var directory = Path.GetDirectoryName(fullOutput)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstrumentErrors.Input(outputPath, "cannot create the output folder: " + e.Message);
        }

        var stamp = Guid.NewGuid().ToString("N")[..8];
        var tempAssembly = Path.Combine(directory, "." + Path.GetFileName(fullOutput) + "." + stamp + ".tmp");
        var outputPdb = Path.ChangeExtension(fullOutput, ".pdb");
        var tempPdb = Path.Combine(directory, "." + Path.GetFileName(outputPdb) + "." + stamp + ".tmp");
        try
        {
            var parameters = new WriterParameters
            {
                // The MVID (and the PDB ID) become a hash of the content: same input, same bytes.
                DeterministicMvid = true,
                StrongNameKeyBlob = strongNameKey,
            };
            using (var assemblyStream = File.Create(tempAssembly))
            using (var pdbStream = input.Symbols == SymbolKind.Beside ? File.Create(tempPdb) : null)
            {
                if (input.Symbols == SymbolKind.Embedded)
                {
                    parameters.WriteSymbols = true;
                    parameters.SymbolWriterProvider = new EmbeddedPortablePdbWriterProvider();
                }
                else if (pdbStream != null)
                {
                    parameters.WriteSymbols = true;
                    parameters.SymbolWriterProvider = new PortablePdbWriterProvider();
                    parameters.SymbolStream = pdbStream;
                }
                try
                {
                    input.Assembly.Write(assemblyStream, parameters);
                }
                catch (Exception e) when (strongNameKey != null && e is System.Security.Cryptography.CryptographicException or ArgumentException or IndexOutOfRangeException)
                {
                    throw InstrumentErrors.Input(keyPath!, "not a usable strong-name key pair (.snk): " + e.Message);
                }
            }
            if (input.Symbols == SymbolKind.Beside)
                File.Move(tempPdb, outputPdb, overwrite: true);
            File.Move(tempAssembly, fullOutput, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstrumentErrors.Input(outputPath, "cannot be written: " + e.Message);
        }
        finally
        {
            TryDelete(tempAssembly);
            TryDelete(tempPdb);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless; the error that matters is already on its way.
        }
    }
}
