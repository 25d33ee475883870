using System.Globalization;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Jit;

/// <summary>
/// The <c>jit</c> command: for Newtonsoft.Json and Markdig, one process per build (plain, instrumented) runs the
/// workload with <c>DOTNET_JitStdOutFile</c> and <c>DOTNET_JitDisasmSummary=1</c>; the two summaries are compared
/// (which library methods got optimized code of their own, how large), with the IL size distribution of both builds.
/// </summary>
internal static class JitComparison
{
    private const int ListedMethods = 12;

    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        double seconds = options.Quick ? 2 : 8;
        var libraries = new[]
        {
            (Name: NewtonsoftJsonWorkload.Name, Dll: HarnessPaths.NewtonsoftJsonDll, Prefix: "Newtonsoft.Json."),
            (Name: MarkdigWorkload.Name, Dll: HarnessPaths.MarkdigDll, Prefix: "Markdig."),
        };
        foreach (var library in libraries.Where(l => options.Includes(l.Name)))
        {
            var copies = LibraryCopies.Create(library.Dll, Path.Combine(workDirectory, "jit", library.Name));
            var plainDll = copies.Plain1.Location;
            var plain = Summarize(library.Name, plainDll, seconds, workDirectory, "plain", library.Prefix);
            var instrumented = Summarize(library.Name, copies.InstrumentedPath, seconds, workDirectory, "instrumented", library.Prefix);
            Report(output, library.Name, seconds, plain, instrumented, IlSizeHistogram.Read(plainDll), IlSizeHistogram.Read(copies.InstrumentedPath));
        }
        output.WriteLine(Explanation);
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine(withSeed: false));
        return 0;
    }

    /// <summary>Runs one child process on one build; returns the library's compilations from its JIT summary.</summary>
    private static List<JitCompilation> Summarize(string library, string dll, double seconds, string workDirectory, string build, string prefix)
    {
        var summary = Path.Combine(workDirectory, "jit", $"{library}-{build}.jit.txt");
        File.Delete(summary);
        var result = ProcessRunner.Run("dotnet",
            [typeof(JitComparison).Assembly.Location, "jit-child", library, dll, seconds.ToString(CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string> { ["DOTNET_JitStdOutFile"] = summary, ["DOTNET_JitDisasmSummary"] = "1" });
        if (result.ExitCode != 0 || !File.Exists(summary))
            throw new InvalidOperationException($"jit-child {library} {build} failed ({result.ExitCode}): {result.StandardError}");
        return JitCompilation.ParseFile(summary).Where(c => c.Method.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    private static void Report(TextWriter output, string library, double seconds, List<JitCompilation> plain, List<JitCompilation> instrumented,
        IlSizeHistogram plainIl, IlSizeHistogram instrumentedIl)
    {
        static Dictionary<string, JitCompilation> Optimized(List<JitCompilation> all)
            => all.Where(c => c.IsOptimized).GroupBy(c => c.Method).ToDictionary(g => g.Key, g => g.Last());
        var plainOpt = Optimized(plain);
        var instrOpt = Optimized(instrumented);
        var common = plainOpt.Keys.Intersect(instrOpt.Keys).ToList();
        var onlyPlain = plainOpt.Keys.Except(instrOpt.Keys).Order(StringComparer.Ordinal).ToList();
        var onlyInstr = instrOpt.Keys.Except(plainOpt.Keys).Order(StringComparer.Ordinal).ToList();
        string Row(string what, Func<List<JitCompilation>, Dictionary<string, JitCompilation>, object> value)
            => $"| {what} | {value(plain, plainOpt)} | {value(instrumented, instrOpt)} |";

        output.WriteLine();
        output.WriteLine($"### JIT summary: {library}, {seconds.ToString(CultureInfo.InvariantCulture)} s of the workload in one process per build");
        output.WriteLine();
        output.WriteLine("| | plain | instrumented |");
        output.WriteLine("|---|---:|---:|");
        output.WriteLine(Row("library methods compiled (any tier)", (all, _) => all.Select(c => c.Method).Distinct().Count()));
        output.WriteLine(Row("compilations by tier", (all, _) => string.Join(", ", all.GroupBy(c => c.Tier).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))));
        output.WriteLine(Row("methods with optimized code of their own (Tier1, OSR, FullOpts)", (_, opt) => opt.Count));
        output.WriteLine(Row("… of which IL ≤ 16 bytes (always-inline size)", (_, opt) => opt.Values.Count(c => c.IlSize <= 16)));
        output.WriteLine(Row("… of which IL ≤ 128 bytes", (_, opt) => opt.Values.Count(c => c.IlSize <= 128)));
        output.WriteLine(Row("optimized code, bytes", (_, opt) => opt.Values.Sum(c => (long)c.CodeSize).ToString("N0", CultureInfo.InvariantCulture)));
        if (common.Count > 0)
        {
            var ratios = common.Select(m => (double)instrOpt[m].CodeSize / plainOpt[m].CodeSize).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| methods optimized in both builds: {common.Count}; instrumented/plain code size, median (p10–p90) | 1 | {Statistics.Median(ratios):0.00} ({Statistics.Quantile(ratios, 0.1):0.00}–{Statistics.Quantile(ratios, 0.9):0.00}) |"));
        }
        output.WriteLine();
        output.WriteLine($"Optimized only in the plain build ({onlyPlain.Count}): {Listed(onlyPlain, plainOpt)}");
        output.WriteLine();
        output.WriteLine($"Optimized only in the instrumented build ({onlyInstr.Count}): {Listed(onlyInstr, instrOpt)}");
        output.WriteLine();
        output.WriteLine($"IL size of every method body of {library} (metadata; the instrumenter's own <PatchGen> types left out):");
        output.WriteLine();
        output.WriteLine("| IL bytes | plain | instrumented |");
        output.WriteLine("|---|---:|---:|");
        for (int i = 0; i < plainIl.Buckets.Count; i++)
            output.WriteLine($"| {plainIl.Buckets[i].Bucket} | {plainIl.Buckets[i].Count} | {instrumentedIl.Buckets[i].Count} |");
        output.WriteLine($"| methods with exception handlers | {plainIl.WithExceptionHandlers} | {instrumentedIl.WithExceptionHandlers} |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| methods / IL bytes in all | {plainIl.Methods} / {plainIl.TotalIlBytes:N0} | {instrumentedIl.Methods} / {instrumentedIl.TotalIlBytes:N0} |"));
    }

    private static string Listed(List<string> methods, Dictionary<string, JitCompilation> compiled)
        => methods.Count == 0 ? "none" : string.Join("; ", methods.Take(ListedMethods).Select(m => $"`{m}` (IL {compiled[m].IlSize})"))
            + (methods.Count > ListedMethods ? "; …" : "");

    private const string Explanation = """

        What this shows: which methods of the library the JIT compiled, at which tiers, and how large their optimized
        code is, in a process that ran only the plain build and in one that ran only the instrumented build. A method
        gets optimized code of its own once it has been called often enough (30 calls, then the tiering delay), so a
        method optimized only in the plain build was either called less in the instrumented process or not yet
        promoted when it ended; methods present in both show how much larger the instrumented build's optimized
        code is. The IL histogram shows how many methods the rewrite pushed past the inlining size thresholds, and how
        many now carry exception handlers (the tracked-site try/finally).

        What it does not show: inlining decisions themselves (the release runtime does not report them; a method
        inlined into its callers still gets its own compilation if it was also called directly often enough), nor
        time. Differences in the sets also depend on how far tiering got in each process in the same wall time, which
        the slower instrumented build makes shorter. Read it as evidence next to the timing figures, not instead of them.
        """;
}
