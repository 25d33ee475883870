namespace PatchGen.Baseline;

/// <summary>
/// How messages name members the compiler generated for something the user wrote, by every reader
/// of the model alike (the diff engine from metadata, the analyzer from symbols): never by their
/// unspeakable metadata names.
/// </summary>
internal static class GeneratedMemberNames
{
    /// <summary>The backing field of an auto-property: <c>auto-property Cart.Count</c>.</summary>
    public static string AutoProperty(string typeName, string propertyName) => "auto-property " + typeName + "." + propertyName;

    /// <summary>The field that holds a captured primary-constructor parameter.</summary>
    public static string CapturedParameter(string parameterName, string typeName) => "captured primary-constructor parameter '" + parameterName + "' of " + typeName;

    /// <summary>A record's synthesized clone method (<see cref="BaselineMethod.RecordClone"/>).</summary>
    public static string RecordClone(string typeName) => "the clone method of record " + typeName;
}
