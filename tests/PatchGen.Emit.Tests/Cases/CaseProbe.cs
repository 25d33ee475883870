using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests.Cases;

/// <summary>
/// The probe of a test case: <c>testdata/cases/&lt;case&gt;/probe.cs</c> declares
/// <c>public static class Probe { public static string Run() }</c>, which exercises the behaviour the
/// case changes through the v1 API and describes what it saw. Compiled against v1 it observes v1 (and,
/// once a patch is applied, the patched v1); compiled against plain v2 it gives the behaviour the
/// patch must produce. A case that cannot be observed has <c>probe-skip.txt</c> saying why instead.
/// </summary>
internal static class CaseProbe
{
    public const string FileName = "probe.cs";
    public const string SkipFileName = "probe-skip.txt";

    public static string? SourcePath(string caseName)
    {
        var path = Path.Combine(Repository.CasesDirectory, caseName, FileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Patchable cases (expected.txt says <c>patchable true</c>), sorted.</summary>
    public static IEnumerable<string> PatchableCases()
        => Directory.GetDirectories(Repository.CasesDirectory)
            .Where(d => File.ReadLines(Path.Combine(d, "expected.txt")).Any(l => l.Trim() == "patchable true"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>Compiles the probe against a build of the case; returns the probe assembly's path.</summary>
    public static string Compile(string caseName, string caseAssemblyPath, string outputDirectory)
    {
        var source = SourcePath(caseName) ?? throw new FileNotFoundException("no probe for case " + caseName);
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(source), new CSharpParseOptions(LanguageVersion.Preview), path: source, encoding: System.Text.Encoding.UTF8);
        var caseName_ = Path.GetFileNameWithoutExtension(caseAssemblyPath);
        var compilation = CSharpCompilation.Create(
            caseName_ + ".Probe",
            new[] { tree },
            CaseCompiler.References.Append(MetadataReference.CreateFromFile(caseAssemblyPath)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Enable));
        Directory.CreateDirectory(outputDirectory);
        var dll = Path.Combine(outputDirectory, caseName_ + ".Probe.dll");
        using (var stream = File.Create(dll))
        {
            var result = compilation.Emit(stream);
            if (!result.Success)
                throw new InvalidOperationException($"the probe of {caseName} does not compile against {caseAssemblyPath}:\n"
                    + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        return dll;
    }

    /// <summary>Runs <c>Probe.Run()</c> of a loaded probe assembly; an exception is part of the observed behaviour.</summary>
    public static string Run(Assembly probe)
    {
        var run = probe.GetType("Probe")?.GetMethod("Run", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)
            ?? throw new InvalidOperationException("the probe has no public static string Probe.Run()");
        try
        {
            return (string?)run.Invoke(null, null) ?? "<null>";
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return "throws " + e.InnerException.GetType().FullName + ": " + e.InnerException.Message;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Oracle = new();

    /// <summary>
    /// Runs the probe on a plain build in a throw-away load context (the oracle for v1 and v2
    /// behaviour), once per build and test run. Both assemblies are loaded from bytes: a file mapped
    /// by a context not yet collected must never be rewritten under it (SIGBUS).
    /// </summary>
    public static string RunIsolated(string caseName, string caseAssemblyPath)
        => Oracle.GetOrAdd(caseName + "|" + caseAssemblyPath, _ => new Lazy<string>(() =>
        {
            var probePath = Compile(caseName, caseAssemblyPath, Path.Combine(Path.GetDirectoryName(caseAssemblyPath)!, "probe-" + Guid.NewGuid().ToString("N")[..8]));
            var context = new IsolatedContext(caseAssemblyPath);
            try
            {
                using var stream = new MemoryStream(File.ReadAllBytes(probePath));
                return Run(context.LoadFromStream(stream));
            }
            finally
            {
                context.Unload();
            }
        })).Value;

    private sealed class IsolatedContext : AssemblyLoadContext
    {
        private readonly string _caseAssemblyPath;

        public IsolatedContext(string caseAssemblyPath)
            : base("probe " + caseAssemblyPath, isCollectible: true)
        {
            _caseAssemblyPath = caseAssemblyPath;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
            => assemblyName.Name == Path.GetFileNameWithoutExtension(_caseAssemblyPath) ? LoadFromStream(new MemoryStream(File.ReadAllBytes(_caseAssemblyPath))) : null;
    }
}
