namespace PatchGen.Emit;

/// <summary>
/// One base a written patch is bound to, and what it replaces there (docs/patch-format.md). <paramref name="Carried"/>
/// names, for each replaced method the fix did not change, the changed method whose inline clone it runs (docs/patch-sites.md,
/// "Inline clones").
/// </summary>
internal sealed record PatchedBase(string Name, Guid Mvid, IReadOnlyList<(string DocumentationId, int Site)> Replaced, IReadOnlyDictionary<string, string>? Carried = null)
{
    public IReadOnlyDictionary<string, string> Carried { get; } = Carried ?? new Dictionary<string, string>();
}
