namespace PatchGen.Baseline;

/// <summary>Attributes of the BCL that more than one reader of a build looks for, by full name.</summary>
internal static class WellKnownAttributes
{
    /// <summary>Friend assemblies see a build's internal members: an internal method may have callers outside it.</summary>
    public const string InternalsVisibleTo = "System.Runtime.CompilerServices.InternalsVisibleToAttribute";
}
