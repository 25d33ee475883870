using System.Globalization;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Jit;

/// <summary>
/// The <c>jit</c> command: for Newtonsoft.Json and Markdig, one process per build (plain, instrumented) runs the
/// workload with <c>DOTNET_JitStdOutFile</c> and <c>DOTNET_JitDisasmSummary=1</c> and an EventPipe trace of the JIT's
/// inlining decisions; the two summaries are compared (which library methods got optimized code of their own, how
/// large), with the IL size distribution of both builds and the inlines the instrumented build loses (<see cref="InliningLoss"/>).
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
            var directory = Path.Combine(workDirectory, "jit", library.Name);
            // With --variant, the variant's build stands for the instrumented one (the default's is written but not run).
            var instrumentedDll = LibraryCopies.Prepare(library.Dll, directory, options.Variant);
            if (options.Variant is not null)
                instrumentedDll = Path.Combine(directory, "variant", Path.GetFileName(library.Dll));
            var plainDll = LibraryCopies.PlainPath(directory, Path.GetFileName(library.Dll));
            var plain = Summarize(library.Name, plainDll, seconds, workDirectory, "plain", library.Prefix);
            var instrumented = Summarize(library.Name, instrumentedDll, seconds, workDirectory, "instrumented", library.Prefix);
            Report(output, library.Name, seconds, plain.Compiled, instrumented.Compiled, IlSizeHistogram.Read(plainDll), IlSizeHistogram.Read(instrumentedDll));
            InliningLoss.Report(output, library.Name, library.Prefix, plain.Inlines, instrumented.Inlines, (plain.Dropped, instrumented.Dropped), IlSizes.Read(plainDll));
            CheckedInlines.Report(output, library.Name, library.Prefix, instrumented.Inlines, instrumentedDll);
        }
        output.WriteLine(Explanation);
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine(withSeed: false));
        return 0;
    }

    /// <summary>
    /// Runs one child process on one build; returns the library's compilations from its JIT summary and every inlining
    /// decision of the process from its EventPipe trace.
    /// </summary>
    private static (List<JitCompilation> Compiled, List<InlineDecision> Inlines, long Dropped) Summarize(
        string library, string dll, double seconds, string workDirectory, string build, string prefix)
    {
        var summary = Path.Combine(workDirectory, "jit", $"{library}-{build}.jit.txt");
        var trace = Path.Combine(workDirectory, "jit", $"{library}-{build}.nettrace");
        File.Delete(summary);
        File.Delete(trace);
        var environment = InlineDecision.TraceEnvironment(trace);
        environment["DOTNET_JitStdOutFile"] = summary;
        environment["DOTNET_JitDisasmSummary"] = "1";
        var result = ProcessRunner.Run("dotnet",
            [typeof(JitComparison).Assembly.Location, "jit-child", library, dll, seconds.ToString(CultureInfo.InvariantCulture)],
            environment: environment);
        if (result.ExitCode != 0 || !File.Exists(summary) || !File.Exists(trace))
            throw new InvalidOperationException($"jit-child {library} {build} failed ({result.ExitCode}): {result.StandardError}");
        var (inlines, dropped) = InlineDecision.ReadTrace(trace);
        return (JitCompilation.ParseFile(summary).Where(c => c.Method.StartsWith(prefix, StringComparison.Ordinal)).ToList(), inlines, dropped);
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
        output.WriteLine($"### JIT summary: {library}, {seconds.ToString(CultureInfo.InvariantCulture)} s of CPU time of the workload in one process per build");
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

        What this shows. Each build ran alone in its own process, the same workload for the same CPU time, with the
        JIT's method summary on and an EventPipe session (Microsoft-Windows-DotNETRuntime, JitTracing, verbose) written
        to a file from startup. "library methods compiled" says both processes ran the same code paths. "optimized code
        of their own" counts library methods that reached Tier1 (or OSR/FullOpts); for methods optimized in both builds
        the code-size ratio says how much bigger the instrumented build's optimized code is (the site checks, the cold
        dispatch calls, also in every inlined copy, and whatever the JIT inlined differently). The IL histogram shows
        how many methods the rewrite pushed past the JIT's inlining thresholds (16 bytes: always a candidate; 128: the
        extended default policy's limit without profile data).

        "Inlining decisions" compares the JIT's own inlining events: a (caller, callee) pair of library methods that
        the plain build inlined and the instrumented build refused, with the JIT's reason ("unprofitable inline": the
        callee's estimated native size, which counts every IL opcode including the cold dispatch block, exceeded the
        call's times the benefit multiplier; "too many il bytes", "too many basic blocks": the policy's limits;
        "cached: ...": a refusal the runtime remembered for the callee) and the callee's original IL size.

        What it does not show. Time. The sets also depend on how far tiering got in each process in the same CPU
        time, which the machine's load and the instrumented build's observation session (it compiles its reader at
        start) change: compare the numbers of inlined pairs before reading the losses. Read it as evidence next to
        the timing figures, not instead of them.
        """;
}
