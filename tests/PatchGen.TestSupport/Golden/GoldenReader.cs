using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// Reads an assembly to render it: with its symbols (a PDB beside it or embedded) so that sequence points
/// show, and with a resolver that finds the framework of this process and PatchGen's own assemblies.
/// Cecil resolves the enum type of an attribute argument to learn its size, and the test inputs are
/// compiled against reference assemblies it would not find on its own.
/// </summary>
public static class GoldenReader
{
    // One for the process: it caches what it resolved, and nothing it resolves is ever written.
    private static readonly SynchronizedResolver Resolver = CreateResolver();

    public static AssemblyDefinition Read(string path)
        => AssemblyDefinition.ReadAssembly(path, new ReaderParameters { AssemblyResolver = Resolver, ReadSymbols = HasSymbols(path) });

    private static SynchronizedResolver CreateResolver()
    {
        var resolver = new SynchronizedResolver();
        resolver.AddSearchDirectory(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        return resolver;
    }

    private static bool HasSymbols(string path)
    {
        if (File.Exists(Path.ChangeExtension(path, ".pdb")))
            return true;
        using var module = ModuleDefinition.ReadModule(path);
        return module.HasDebugHeader && module.GetDebugHeader().Entries.Any(e => e.Directory.Type == ImageDebugType.EmbeddedPortablePdb);
    }

    /// <summary>Cecil's resolver caches in a plain dictionary; test classes may render in parallel.</summary>
    private sealed class SynchronizedResolver : DefaultAssemblyResolver
    {
        private readonly Lock _gate = new();

        public override AssemblyDefinition Resolve(AssemblyNameReference name)
        {
            lock (_gate)
                return base.Resolve(name);
        }
    }
}
