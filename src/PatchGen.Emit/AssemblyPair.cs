namespace PatchGen.Emit;

/// <summary>One assembly of a patch: the patchable build production runs and the build with the fix.</summary>
internal sealed record AssemblyPair(string BasePath, string NewPath);
