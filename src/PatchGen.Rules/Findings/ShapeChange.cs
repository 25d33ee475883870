namespace PatchGen.Rules.Findings;

/// <summary>What happened to a member between the two builds, as far as its shape tells (the diff engine's <c>ChangeKind</c>, less the body change only IL shows).</summary>
internal enum ShapeChange
{
    Added,
    Removed,
    Changed,
}
