using PatchGen.Diagnostics;
using PatchGen.Emit;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>One patch file of a patch directory as the tool reads it: its metadata, or why it is not a patch.</summary>
/// <param name="Name">The file name (the visible name, which decides the order).</param>
/// <param name="Path">Its path in the folder.</param>
/// <param name="Patch">What it is, read without loading it; null when it is not a readable patch.</param>
/// <param name="Problem">The PG0001 diagnostic when it is not.</param>
internal sealed record PatchFolderEntry(string Name, string Path, PatchDescription? Patch, PatchDiagnostic? Problem);
