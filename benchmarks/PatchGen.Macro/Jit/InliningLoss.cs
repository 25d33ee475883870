using System.Globalization;

namespace PatchGen.Macro.Jit;

/// <summary>
/// The inlines the instrumented build loses: (inliner, inlinee) pairs of library methods that the JIT inlined in the
/// plain build and refused in the instrumented one (and never inlined there), by the JIT's reason and by the callee's
/// original IL size. A refusal "noinline per IL/cached result" repeats an earlier verdict the runtime remembered for
/// the callee; it is counted under that verdict ("cached: ...") so that the table says why.
/// </summary>
internal static class InliningLoss
{
    private const string Cached = "noinline per IL/cached result";
    private const int ListedCallees = 15;

    private static readonly (string Name, int Max)[] SizeBuckets =
        [("1–16", 16), ("17–32", 32), ("33–64", 64), ("65–100", 100), ("101–128", 128), ("129+", int.MaxValue)];

    public static void Report(TextWriter output, string library, string prefix, List<InlineDecision> plain, List<InlineDecision> instrumented,
        (long Plain, long Instrumented) dropped, Dictionary<string, int> originalIlSizes)
    {
        bool InLibrary(InlineDecision d) => d.Inliner.StartsWith(prefix, StringComparison.Ordinal) && d.Inlinee.StartsWith(prefix, StringComparison.Ordinal);
        static (string, string) Pair(InlineDecision d) => (IlSizes.Normalize(d.Inliner), IlSizes.Normalize(d.Inlinee));
        var plainInlined = plain.Where(d => d.Succeeded && InLibrary(d)).Select(Pair).ToHashSet();
        var instrInlined = instrumented.Where(d => d.Succeeded && InLibrary(d)).Select(Pair).ToHashSet();

        // The verdict that is remembered for a callee: its first refusal that is not itself a cached one.
        var firstVerdict = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in instrumented.Where(d => !d.Succeeded && d.FailReason != Cached))
            firstVerdict.TryAdd(IlSizes.Normalize(d.Inlinee), d.FailReason!);
        string Reason(InlineDecision d) => d.FailReason != Cached ? d.FailReason!
            : firstVerdict.TryGetValue(IlSizes.Normalize(d.Inlinee), out var first) ? "cached: " + first : Cached;

        var lost = instrumented.Where(d => !d.Succeeded && InLibrary(d))
            .GroupBy(Pair)
            .Where(g => plainInlined.Contains(g.Key) && !instrInlined.Contains(g.Key))
            .Select(g => (Inliner: g.Key.Item1, Inlinee: g.Key.Item2,
                Reason: g.Select(Reason).GroupBy(r => r).OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal).First().Key))
            .ToList();
        int gained = instrInlined.Count(p => !plainInlined.Contains(p));
        int Size(string inlinee) => originalIlSizes.TryGetValue(inlinee, out int s) ? s : -1;
        string Bucket(int size) => size < 0 ? "unknown" : SizeBuckets.First(b => size <= b.Max).Name;

        output.WriteLine();
        output.WriteLine($"#### Inlining decisions: {library} (EventPipe JitTracing, library callers and callees)");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Inlined (caller, callee) pairs: plain {plainInlined.Count}, instrumented {instrInlined.Count}; inlined in plain but refused in instrumented: **{lost.Count}** pairs, {lost.Select(l => l.Inlinee).Distinct().Count()} callees; inlined only in instrumented: {gained}. Events dropped: {dropped.Plain} / {dropped.Instrumented}."));
        output.WriteLine();
        output.WriteLine("| JIT's reason in the instrumented build | pairs lost | callees |");
        output.WriteLine("|---|---:|---:|");
        foreach (var g in lost.GroupBy(l => l.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"| {g.Key} | {g.Count()} | {g.Select(l => l.Inlinee).Distinct().Count()} |");
        output.WriteLine();
        output.WriteLine("| callee's original IL bytes | pairs lost | callees | main reason |");
        output.WriteLine("|---|---:|---:|---|");
        foreach (var bucket in SizeBuckets.Select(b => b.Name).Append("unknown"))
        {
            var inBucket = lost.Where(l => Bucket(Size(l.Inlinee)) == bucket).ToList();
            if (inBucket.Count == 0)
                continue;
            string main = inBucket.GroupBy(l => l.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            output.WriteLine($"| {bucket} | {inBucket.Count} | {inBucket.Select(l => l.Inlinee).Distinct().Count()} | {main} |");
        }
        var callees = lost.GroupBy(l => l.Inlinee).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(ListedCallees)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"`{g.Key}` (IL {Size(g.Key)}, {g.Count()} callers, {g.First().Reason})"));
        output.WriteLine();
        output.WriteLine("Callees lost most often: " + (lost.Count == 0 ? "none" : string.Join("; ", callees)));
    }
}
