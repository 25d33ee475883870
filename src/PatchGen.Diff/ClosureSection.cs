using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>
/// One piece of a rendered closure and the hash of its canonical text, with generated members
/// numbered within the piece (so a piece hashes the same whatever the rest of the closure references first).
/// </summary>
internal sealed record ClosureSection(ClosureSectionKind Kind, IMemberDefinition Member, byte[] Hash);
