namespace PatchGen.Runtime;

/// <summary>A patch assembly loaded into its own collectible load context.</summary>
internal sealed partial class LoadedPatch
{
}
