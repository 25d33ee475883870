using Mono.Cecil;
using Mono.Cecil.Cil;

// Reads each assembly given (and its portable PDB beside it) the way PatchGen.Diff's AssemblyInput does:
// the file into memory, deferred reading, symbols, then every type, member, attribute blob, method body
// and sequence point touched, so that everything the engine later compares has been decoded. Prints the
// number of methods with a body, so the harness can check the work was done.
int bodies = 0;
foreach (var path in args)
{
    var image = File.ReadAllBytes(path);
    using var assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(image, writable: false), new ReaderParameters(ReadingMode.Deferred)
    {
        ReadSymbols = false,
        InMemory = true,
    });
    var module = assembly.MainModule;
    var pdb = Path.ChangeExtension(path, ".pdb");
    if (File.Exists(pdb))
        module.ReadSymbols(new PortablePdbReaderProvider().GetSymbolReader(module, new MemoryStream(File.ReadAllBytes(pdb), writable: false)), throwIfSymbolsAreNotMaching: true);
    bodies += CecilReading.TouchEverything(module);
}
Console.WriteLine(bodies);
return 0;
