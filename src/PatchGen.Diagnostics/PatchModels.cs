using System;

namespace PatchGen.Diagnostics;

/// <summary>
/// The names of the <see cref="PatchModel"/>s, defined once for every front end: the CLI's
/// <c>--model</c>, the MSBuild property <c>&lt;PatchGenModel&gt;</c> (passed to the tool as
/// <c>--model</c>) and the analyzer's <c>build_property.PatchGenModel</c>.
/// </summary>
public static class PatchModels
{
    /// <summary>The MSBuild property, also what the analyzer reads (as <c>build_property.PatchGenModel</c>).</summary>
    public const string MSBuildProperty = "PatchGenModel";

    /// <summary>The key of <see cref="MSBuildProperty"/> in an analyzer's global options.</summary>
    public const string AnalyzerConfigKey = "build_property." + MSBuildProperty;

    public const string SimpleName = "simple";

    public const string ExtendedName = "extended";

    /// <summary>What a bad value is told it should have been.</summary>
    public const string Expected = SimpleName + " or " + ExtendedName;

    public static string Name(PatchModel model) => model == PatchModel.Extended ? ExtendedName : SimpleName;

    /// <summary>
    /// A model by name (case-insensitive; surrounding spaces ignored). Empty or null is the default,
    /// <see cref="PatchModel.Simple"/>: an MSBuild property that is not set is empty.
    /// </summary>
    public static bool TryParse(string? text, out PatchModel model)
    {
        model = PatchModel.Simple;
        var name = text?.Trim() ?? "";
        if (name.Length == 0 || string.Equals(name, SimpleName, StringComparison.OrdinalIgnoreCase))
            return true;
        if (string.Equals(name, ExtendedName, StringComparison.OrdinalIgnoreCase))
        {
            model = PatchModel.Extended;
            return true;
        }
        return false;
    }
}
