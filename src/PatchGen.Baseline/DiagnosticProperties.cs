namespace PatchGen.Baseline;

/// <summary>Keys of the properties the analyzer attaches to its diagnostics, read by its code fix and by tests.</summary>
internal static class DiagnosticProperties
{
    /// <summary>The documentation ID the finding is reported under (the diff engine's member).</summary>
    public const string Member = "PatchGen.Member";

    /// <summary>PG2001: the metadata name of the added field.</summary>
    public const string FieldName = "PatchGen.FieldName";

    /// <summary>PG2001: "true" when the added field is an instance field the user declared (what the shadow-variable fix replaces).</summary>
    public const string InstanceField = "PatchGen.InstanceField";
}
