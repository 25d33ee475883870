namespace PatchGen.Emit;

/// <summary>One base a written patch is bound to, and what it replaces there (docs/patch-format.md).</summary>
internal sealed record PatchedBase(string Name, Guid Mvid, IReadOnlyList<(string DocumentationId, int Site)> Replaced);
