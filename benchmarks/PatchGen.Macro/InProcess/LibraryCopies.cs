using System.Reflection;
using PatchGen.Instrumentation;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// Three copies of one shipped library DLL, each in its own load context: plain #1 (the baseline), plain #2
/// (byte for byte the same file, the A/A control: it differs from #1 only in where it was loaded and when its
/// code was jitted) and instrumented (rewritten by <see cref="AssemblyInstrumenter"/>, runtime not copied: the
/// default context's PatchGen.Runtime serves it).
/// </summary>
internal sealed record LibraryCopies(Assembly Plain1, Assembly Plain2, Assembly Instrumented, string InstrumentedPath)
{
    public const string Plain1Name = "plain #1";
    public const string Plain2Name = "plain #2 (A/A)";
    public const string InstrumentedName = "instrumented";

    public static LibraryCopies Create(string sourceDll, string workDirectory)
    {
        string file = Path.GetFileName(sourceDll);
        string Copy(string variant)
        {
            var dir = Path.Combine(workDirectory, variant);
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, file);
            File.Copy(sourceDll, path, overwrite: true);
            return dir;
        }
        var plain1 = Copy("plain-1");
        var plain2 = Copy("plain-2");
        var instrumented = Path.Combine(workDirectory, "instrumented");
        Directory.CreateDirectory(instrumented);
        var instrumentedPath = Path.Combine(instrumented, file);
        AssemblyInstrumenter.Instrument(Path.Combine(plain1, file), instrumentedPath, new InstrumentOptions { CopyRuntime = false });
        return new LibraryCopies(
            new VariantLoadContext("plain-1", plain1).LoadMain(file),
            new VariantLoadContext("plain-2", plain2).LoadMain(file),
            new VariantLoadContext("instrumented", instrumented).LoadMain(file),
            instrumentedPath);
    }
}
