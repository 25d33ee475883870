using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace PatchGen.TestSupport;

/// <summary>Compiles a C# snippet to an assembly (with a portable PDB) in a folder, for tests that need an ad-hoc build.</summary>
public static class InlineAssembly
{
    public static string Compile(string directory, string assemblyName, string source, bool withPdb = true)
        => Compile(directory, assemblyName, source, withPdb, references: []);

    /// <summary>As <see cref="Compile(string, string, string, bool)"/>, against other assemblies too (paths).</summary>
    public static string Compile(string directory, string assemblyName, string source, bool withPdb, IEnumerable<string> references)
    {
        Directory.CreateDirectory(directory);
        var sourcePath = Path.Combine(directory, assemblyName + ".cs");
        File.WriteAllText(sourcePath, source);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: sourcePath, encoding: System.Text.Encoding.UTF8);
        var compilation = CaseCompiler.CreateCompilation(assemblyName, new[] { tree })
            .AddReferences(references.Select(r => MetadataReference.CreateFromFile(r)));
        var dll = Path.Combine(directory, assemblyName + ".dll");
        var pdb = Path.Combine(directory, assemblyName + ".pdb");
        using var peStream = File.Create(dll);
        using var pdbStream = withPdb ? File.Create(pdb) : null;
        var result = compilation.Emit(peStream, pdbStream,
            options: withPdb ? new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdb) : null);
        if (!result.Success)
            throw new InvalidOperationException("snippet does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return dll;
    }

    /// <summary>A fresh temporary folder for one test.</summary>
    public static string TempDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "patchgen-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
