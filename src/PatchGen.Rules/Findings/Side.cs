namespace PatchGen.Rules.Findings;

/// <summary>Which build a finding's site is in: the base build for something removed, the new build otherwise.</summary>
internal enum Side
{
    Base,
    New,
}
