using System.Globalization;
using System.Text.RegularExpressions;

namespace PatchGen.Macro.Jit;

/// <summary>
/// One line of the JIT's method summary (<c>DOTNET_JitDisasmSummary=1</c>):
/// <c>  12: JIT compiled Ns.Type:Method(args) [Tier1, IL size=42, code size=120]</c>.
/// </summary>
internal sealed partial record JitCompilation(string Method, string Tier, int IlSize, int CodeSize)
{
    /// <summary>Fully optimized code: what a hot method ends up running (Tier1 with or without PGO, its OSR variant, or FullOpts, e.g. "Tier-0 switched to FullOpts").</summary>
    public bool IsOptimized => Tier.StartsWith("Tier1", StringComparison.Ordinal) || Tier.Contains("FullOpts", StringComparison.Ordinal);

    public static List<JitCompilation> ParseFile(string path)
        => File.ReadLines(path).Select(Parse).OfType<JitCompilation>().ToList();

    public static JitCompilation? Parse(string line)
    {
        var match = LinePattern().Match(line);
        if (!match.Success)
            return null;
        return new JitCompilation(
            match.Groups["method"].Value,
            match.Groups["tier"].Value,
            int.Parse(match.Groups["il"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["code"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"JIT compiled (?<method>.+) \[(?<tier>[^,\]]+), IL size=(?<il>\d+), code size=(?<code>\d+)")]
    private static partial Regex LinePattern();
}
