using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diff.Closures;

namespace PatchGen.Diff;

/// <summary>
/// The canonical form of a user method and the generated code it owns (see <see cref="ClosureRenderer"/>).
/// <see cref="Hash"/> decides "body changed"; <see cref="Text"/> and <see cref="Origins"/> (one per
/// line) are kept only when asked for, to locate the first difference in source.
/// </summary>
internal sealed record RenderedClosure(
    MethodDefinition Owner,
    byte[] Hash,
    IReadOnlyList<ClosureSection> Sections,
    IReadOnlyList<TypeDefinition> GeneratedTypes,
    IReadOnlyList<MethodDefinition> GeneratedMethods,
    ClosureText? Text,
    (MethodDefinition Method, Instruction? Instruction)[]? Origins)
{
    public string HashHex => Convert.ToHexString(Hash);
}
