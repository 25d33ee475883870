using System.Globalization;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The expected verdict of a test case, read from <c>expected.txt</c> beside its v1 and v2 folders:
/// <code>
/// # Why the verdict is what it is (comment lines start with '#').
/// patchable false
/// bodyChanged M:Cases.Cart.Total(System.Int32)
/// PG2001 F:Cases.Cart._discount @12
/// PG2007 -
/// inPlace M:Cases.Catalog.Search(System.String) @13 kept
/// </code>
/// <c>patchable</c> is required; <c>model extended</c> judges the case under the extended model
/// (<see cref="CaseModel"/>). Change lines (<c>bodyChanged</c>, <c>added</c>, <c>removed</c>,
/// <c>changed</c>) and diagnostic lines (an ID, then the member or <c>-</c> for none) are exact sets:
/// nothing more, nothing less is reported. <c>@N</c> also checks the diagnostic's source line.
/// PG0003 (no patch sites) and PG0004 (no symbols) depend on how a case is built, not on its edit,
/// and are left out of both sides. <c>inPlace</c> lines (owner, <c>@</c>line of the lambda's first
/// statement, <c>kept</c> or <c>replaced</c> for the owner) are the exact set of lambdas and local
/// functions replaced in place. <c>bases</c> (a fix of an application of several projects) names the
/// assemblies the fix changed, the bases of its one patch, as an exact set.
/// </summary>
internal sealed class ExpectedVerdict
{
    private static readonly HashSet<string> ChangeKinds = new(StringComparer.Ordinal) { "bodyChanged", "added", "removed", "changed" };

    public static readonly HashSet<string> IgnoredIds = new(StringComparer.Ordinal) { "PG0003", "PG0004" };

    public bool Patchable { get; private set; }

    public SortedSet<string> Changes { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Diagnostics { get; } = new(StringComparer.Ordinal);

    /// <summary>Lambdas replaced in place: "owner @line kept|replaced".</summary>
    public SortedSet<string> InPlace { get; } = new(StringComparer.Ordinal);

    /// <summary>The assemblies a fix of several projects changes (empty: not stated).</summary>
    public SortedSet<string> Bases { get; } = new(StringComparer.Ordinal);

    /// <summary>Expected source lines, by the diagnostic line they qualify ("PG2001 F:X.y").</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public static ExpectedVerdict Parse(string path)
    {
        var verdict = new ExpectedVerdict();
        bool sawPatchable = false;
        int number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string Where() => $"{path}({number})";
            if (parts[0] == CaseModel.Keyword)
            {
                continue; // The model the case is judged under: read by CaseModel for every harness.
            }
            if (parts[0] == "patchable")
            {
                if (parts.Length != 2 || !bool.TryParse(parts[1], out var value))
                    throw new FormatException($"{Where()}: expected 'patchable true' or 'patchable false'");
                verdict.Patchable = value;
                sawPatchable = true;
            }
            else if (ChangeKinds.Contains(parts[0]))
            {
                if (parts.Length != 2)
                    throw new FormatException($"{Where()}: expected '<kind> <member>'");
                verdict.Changes.Add(parts[0] + " " + parts[1]);
            }
            else if (parts[0] == "bases")
            {
                if (parts.Length < 2)
                    throw new FormatException($"{Where()}: expected 'bases <assembly> [<assembly>...]'");
                verdict.Bases.UnionWith(parts.Skip(1));
            }
            else if (parts[0] == "inPlace")
            {
                if (parts.Length != 4 || !parts[2].StartsWith('@') || parts[3] is not ("kept" or "replaced"))
                    throw new FormatException($"{Where()}: expected 'inPlace <owner> @<line> kept|replaced'");
                verdict.InPlace.Add(parts[1] + " " + parts[2] + " " + parts[3]);
            }
            else if (parts[0].StartsWith("PG", StringComparison.Ordinal) && parts[0].Length == 6)
            {
                if (parts.Length is < 2 or > 3)
                    throw new FormatException($"{Where()}: expected '<ID> <member or -> [@line]'");
                var key = parts[0] + " " + parts[1];
                verdict.Diagnostics.Add(key);
                if (parts.Length == 3)
                {
                    if (!parts[2].StartsWith('@') || !int.TryParse(parts[2].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var sourceLine))
                        throw new FormatException($"{Where()}: expected '@<line>'");
                    verdict.Lines[key] = sourceLine;
                }
            }
            else
            {
                throw new FormatException($"{Where()}: unknown line '{line}'");
            }
        }
        if (!sawPatchable)
            throw new FormatException($"{path}: missing 'patchable true|false'");
        return verdict;
    }
}
