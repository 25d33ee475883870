using Mono.Cecil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// One section of a closure text: lines [<see cref="Start"/>, <see cref="End"/>). <see cref="Queued"/>
/// marks a lambda or local function rendered on its own (not a method of a closure class).
/// </summary>
internal readonly record struct ClosurePart(ClosureSectionKind Kind, IMemberDefinition Member, int Start, int End, bool Queued = false);
