using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>Reads the user-written types of a build (<see cref="GeneratedCode.IsUserType"/>) as the shape model the rules compare.</summary>
internal static class CecilShapeReader
{
    /// <param name="renderer">The closure renderer of <paramref name="module"/>: the comparable texts are its canonical names.</param>
    public static List<BaselineType> Read(ModuleDefinition module, ClosureRenderer renderer)
        => module.GetTypes().Where(GeneratedCode.IsUserType).Select(t => (BaselineType)new CecilType(t, renderer)).ToList();
}
