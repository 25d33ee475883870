using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>
/// The assembly to instrument, read fully into memory (so the output may replace the input file) with
/// its portable PDB when one is embedded or beside it. Read failures become PG0001 naming the path, in
/// the same words as the diff engine's <c>AssemblyInput</c>.
/// </summary>
internal sealed class InstrumentInput : IDisposable
{
    private InstrumentInput(string path, AssemblyDefinition assembly, SymbolKind symbols)
    {
        Path = path;
        Assembly = assembly;
        Symbols = symbols;
    }

    public string Path { get; }

    public AssemblyDefinition Assembly { get; }

    public SymbolKind Symbols { get; }

    public static InstrumentInput Load(string path)
    {
        if (!File.Exists(path))
            throw InstrumentErrors.Input(path, Directory.Exists(path) ? "is a directory, not an assembly" : "file not found");
        byte[] image;
        try
        {
            image = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstrumentErrors.Input(path, "cannot be read: " + e.Message);
        }

        AssemblyDefinition assembly;
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            // Deferred: with Immediate, Cecil 0.11.6 reads bodies before the PDB is attached and then
            // fails on sequence points (ArgumentNullException "document") for ordinary portable PDBs.
            assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(image, writable: false), new ReaderParameters(ReadingMode.Deferred)
            {
                AssemblyResolver = new LenientAssemblyResolver(directory),
                ReadSymbols = false,
                InMemory = true,
            });
        }
        catch (Exception e)
        {
            throw InstrumentErrors.Input(path, e is BadImageFormatException
                ? "not a managed assembly, or its PE image is corrupt"
                : "corrupt or truncated metadata (" + e.GetType().Name + ")");
        }

        try
        {
            var symbols = TryReadSymbols(assembly.MainModule, path);
            // Decode every body now, so a corrupt one is reported here and not halfway through the rewrite.
            foreach (var type in assembly.MainModule.GetTypes())
            {
                foreach (var method in type.Methods)
                {
                    if (method.HasBody)
                        _ = method.Body.Instructions.Count;
                }
            }
            return new InstrumentInput(path, assembly, symbols);
        }
        catch (Exception e) when (e is not PatchGenException)
        {
            assembly.Dispose();
            throw InstrumentErrors.Input(path, "corrupt metadata or method bodies (" + e.GetType().Name + ")");
        }
    }

    private static SymbolKind TryReadSymbols(ModuleDefinition module, string path)
    {
        try
        {
            if (module.HasDebugHeader && module.GetDebugHeader().Entries.Any(e => e.Directory.Type == ImageDebugType.EmbeddedPortablePdb))
            {
                module.ReadSymbols(new EmbeddedPortablePdbReaderProvider().GetSymbolReader(module, path), throwIfSymbolsAreNotMaching: true);
                return SymbolKind.Embedded;
            }
            var pdb = System.IO.Path.ChangeExtension(path, ".pdb");
            if (!File.Exists(pdb))
                return SymbolKind.None;
            var bytes = File.ReadAllBytes(pdb);
            module.ReadSymbols(new PortablePdbReaderProvider().GetSymbolReader(module, new MemoryStream(bytes, writable: false)), throwIfSymbolsAreNotMaching: true);
            return SymbolKind.Beside;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A stale, Windows-format or corrupt PDB costs the output its symbols, never the rewrite.
            return SymbolKind.None;
        }
    }

    public void Dispose() => Assembly.Dispose();
}
