namespace PatchGen.Diagnostics;

/// <summary>
/// Which changes the diff engine and the analyzer accept (docs/diff-rules.md#models). The simple
/// model is the default and the verdict of every rule as documented; the extended model turns some
/// rejections into transformations a patch carries without code written by hand, each reported as a
/// PG3xxx warning that says what live objects will see.
/// </summary>
public enum PatchModel
{
    /// <summary>Only new method bodies and what they need that the base does not have.</summary>
    Simple,

    /// <summary>The simple model plus the transformations of docs/diff-rules.md#the-extended-model.</summary>
    Extended,
}
