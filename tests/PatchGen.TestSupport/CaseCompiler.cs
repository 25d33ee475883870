using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace PatchGen.TestSupport;

/// <summary>
/// Compiles one version (v1 or v2) of a test case with Roslyn, in Release, deterministically, with
/// a portable PDB beside the assembly: <c>*.cs</c> files are sources, any other file is embedded as
/// a manifest resource. Source paths in the PDB are the real files, so diagnostics can be located.
/// </summary>
public static class CaseCompiler
{
    public const string AssemblyName = "CaseAssembly";

    private static readonly string OutputRoot = Path.Combine(Path.GetTempPath(), "patchgen-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static readonly ConcurrentDictionary<string, Lazy<CompiledVersion>> Cache = new();

    /// <summary>Compiles (once per test run) the given version folder of a case.</summary>
    public static CompiledVersion Compile(string caseName, string version)
        => Compile(caseName, version, AssemblyName);

    /// <summary>
    /// Compiles a version under another assembly name: tests that load many cases into one process
    /// give each its own name (the runtime finds a patch's base by simple name).
    /// </summary>
    public static CompiledVersion Compile(string caseName, string version, string assemblyName)
        => Cache.GetOrAdd(caseName + "/" + version + "/" + assemblyName, _ => new Lazy<CompiledVersion>(() => CompileNow(caseName, version, assemblyName))).Value;

    /// <summary>
    /// A library, unless a source has top-level statements: those only compile into an executable
    /// (CS8805), and a case about them needs the synthesized entry point.
    /// </summary>
    public static CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<SyntaxTree> trees)
    {
        var list = trees.ToList();
        bool topLevel = list.Any(t => t.GetRoot() is CompilationUnitSyntax root && root.Members.OfType<GlobalStatementSyntax>().Any());
        return CSharpCompilation.Create(
            assemblyName,
            list,
            References,
            new CSharpCompilationOptions(
                topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: true,
                deterministic: true,
                nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// Microsoft.Extensions.Hosting.Abstractions (BackgroundService), for cases about hosted services: the real
    /// assembly, which this project references, so that it loads in the test process too.
    /// </summary>
    private static readonly MetadataReference[] HostingReferences =
    [
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Hosting.BackgroundService).Assembly.Location),
    ];

    /// <summary>What every case (and the code compiled against a case, such as its probe) is compiled with.</summary>
    public static IReadOnlyList<MetadataReference> References { get; } = Basic.Reference.Assemblies.Net100.References.All.Concat(HostingReferences).ToArray();

    private static CompiledVersion CompileNow(string caseName, string version, string assemblyName)
    {
        var sourceDir = Path.Combine(Repository.CasesDirectory, caseName, version);
        if (!Directory.Exists(sourceDir))
            throw new DirectoryNotFoundException(sourceDir);
        var files = Directory.GetFiles(sourceDir).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = files.Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parseOptions, path: f, encoding: System.Text.Encoding.UTF8))
            .ToList();
        var resources = files.Where(f => !f.EndsWith(".cs", StringComparison.Ordinal))
            .Select(f => new ResourceDescription(Path.GetFileName(f), () => File.OpenRead(f), isPublic: true))
            .ToList();

        var compilation = CreateCompilation(assemblyName, trees);
        var outDir = Path.Combine(OutputRoot, caseName, version, assemblyName == AssemblyName ? "" : assemblyName);
        Directory.CreateDirectory(outDir);
        var dll = Path.Combine(outDir, assemblyName + ".dll");
        var pdb = Path.Combine(outDir, assemblyName + ".pdb");
        EmitResult result;
        using (var peStream = File.Create(dll))
        using (var pdbStream = File.Create(pdb))
        {
            result = compilation.Emit(peStream, pdbStream, manifestResources: resources,
                options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdb));
        }
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success)
            throw new InvalidOperationException($"case {caseName}/{version} does not compile:\n" + string.Join("\n", errors));
        return new CompiledVersion(dll, compilation);
    }
}

/// <summary>A compiled case version: the assembly on disk and the Roslyn compilation it came from.</summary>
public sealed record CompiledVersion(string AssemblyPath, CSharpCompilation Compilation);
