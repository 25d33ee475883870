using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using PatchGen.Baseline;
using PatchGen.Diff.Baseline;
using PatchGen.TestSupport;

namespace PatchGen.Analyzers.Tests;

/// <summary>
/// An edit as the analyzer sees it: v1 is compiled (assembly, PDB, source on disk) and its manifest
/// written by the core writer; the analyzer then runs, through Microsoft.CodeAnalysis.Testing, on v2
/// with the manifest as its AdditionalFiles item. v2 is markup: <c>{|PG2001:_discount|}</c> marks
/// exactly where a diagnostic is expected, and nothing else may be reported.
/// </summary>
internal static class BaselineEdit
{
    /// <summary>The name the testing library gives the compilation under test.</summary>
    public const string AssemblyName = "TestProject";

    public static string Manifest(string v1Source, string name = "edit")
    {
        var dll = InlineAssembly.Compile(InlineAssembly.TempDirectory(name), AssemblyName, v1Source);
        return BaselineText.Write(BaselineWriter.Describe(dll));
    }

    public static Task VerifyAsync(string v1Source, string v2Markup, string? manifest = null, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<BaselineAnalyzer, DefaultVerifier>
        {
            TestCode = v2Markup,
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Net100);
        test.TestState.AdditionalFiles.Add((BaselineManifest.FileNameFor(AssemblyName), manifest ?? Manifest(v1Source)));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
