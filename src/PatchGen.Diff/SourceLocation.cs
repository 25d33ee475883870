namespace PatchGen.Diff;

/// <summary>A place in source, as the PDB (or the source file it names) tells it.</summary>
internal sealed record SourceLocation(string File, int? Line);
