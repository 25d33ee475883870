using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Instrumentation;

namespace PatchGen.Benchmarks;

/// <summary>
/// The inputs of the patch build benchmarks, made from the large real pair in a temporary folder:
/// the base instrumented as production would (<c>patchgen instrument</c>, without copying the
/// runtime beside it), and a "one fix" build of the same base in which one method body differs.
/// </summary>
internal sealed class PatchBuildInputs : IDisposable
{
    /// <summary>
    /// The method changed in the one-fix build: 137 bytes of IL, 7 calls (so a tracked site), the
    /// base's internal types in its signature and body, and the error codes it reports as constants
    /// (the last one is changed): a typical small fix of a real library.
    /// </summary>
    public const string FixedType = "Microsoft.CodeAnalysis.CSharp.MessageIDExtensions";
    public const string FixedMethod = "GetDisabledFeatureDiagnosticInfo";

    private PatchBuildInputs(string directory, InstrumentResult instrumentation, string oneFix, string fix, string output)
    {
        Directory = directory;
        Instrumentation = instrumentation;
        InstrumentedBase = instrumentation.OutputPath;
        OneFix = oneFix;
        Fix = fix;
        Output = output;
    }

    public string Directory { get; }

    /// <summary>What instrumenting the base did (sites, skipped methods).</summary>
    public InstrumentResult Instrumentation { get; }

    /// <summary>RealPair's base, instrumented.</summary>
    public string InstrumentedBase { get; }

    /// <summary>RealPair's base (not instrumented, as a developer's next build would be) with one method body changed.</summary>
    public string OneFix { get; }

    /// <summary>What the one-fix build changes, in words.</summary>
    public string Fix { get; }

    /// <summary>Where the benchmarks write the patch.</summary>
    public string Output { get; }

    public static PatchBuildInputs Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("patchgen-bench-").FullName;
        var name = Path.GetFileName(RealPair.BasePath);
        // Separate folders: the base and the fix carry the same file name, as two builds of one project do.
        var instrumented = Path.Combine(directory, "base", name);
        var oneFix = Path.Combine(directory, "fix", name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(instrumented)!);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(oneFix)!);
        var instrumentation = AssemblyInstrumenter.Instrument(RealPair.BasePath, instrumented, new InstrumentOptions { CopyRuntime = false });
        var fix = WriteOneFix(RealPair.BasePath, oneFix);
        return new PatchBuildInputs(directory, instrumentation, oneFix, fix, Path.Combine(directory, "out", "fix.patch.dll"));
    }

    /// <summary>
    /// Writes <paramref name="input"/> with one constant of <see cref="FixedMethod"/> changed and a
    /// <c>nop</c> in front of its body (so its IL offsets and sequence points move too, as they do
    /// when a line is edited). The symbols are rewritten to match, so the diff still locates sources.
    /// </summary>
    private static string WriteOneFix(string input, string output)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(input)!);
        using var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { ReadSymbols = true, AssemblyResolver = resolver });
        var method = assembly.MainModule.GetType(FixedType)?.Methods.SingleOrDefault(m => m.Name == FixedMethod)
            ?? throw new InvalidOperationException($"{FixedType}.{FixedMethod} not found in {input}");
        var il = method.Body.GetILProcessor();
        // The last integer constant: here the error code reported for a feature still in preview.
        var constant = method.Body.Instructions.Last(i => i.OpCode.Code is Code.Ldc_I4 or Code.Ldc_I4_S);
        var fix = $"{method.FullName} ({method.Body.Instructions.Count} instructions, {method.Body.CodeSize} bytes of IL): IL_{constant.Offset:x4} {constant.OpCode} {constant.Operand} -> ";
        // Changed in place, not replaced, so branches that target it still do.
        constant.Operand = Convert.ToInt32(constant.Operand, System.Globalization.CultureInfo.InvariantCulture) + 1;
        constant.OpCode = OpCodes.Ldc_I4;
        il.InsertBefore(method.Body.Instructions[0], il.Create(OpCodes.Nop));
        fix += $"{constant.OpCode} {constant.Operand}, nop at IL_0000";
        assembly.Write(output, new WriterParameters { WriteSymbols = true });
        return fix;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; failing the benchmark over it is not.
        }
    }
}
