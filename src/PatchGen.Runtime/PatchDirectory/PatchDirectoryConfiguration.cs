namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Where a process's patch directory comes from when nobody calls <see cref="PatchRuntime.WatchPatchDirectory"/>:
/// the <c>PATCHGEN_PATCH_DIR</c> environment variable, else the <c>PatchGen.PatchDirectory</c> runtime
/// configuration property (runtimeconfig.json, written by MSBuild from <c>&lt;PatchGenPatchDirectory&gt;</c>).
/// The variable wins: it is what the operator of this very process set, the property what the build chose.
/// </summary>
internal static class PatchDirectoryConfiguration
{
    public const string EnvironmentVariable = "PATCHGEN_PATCH_DIR";

    public const string RuntimeProperty = "PatchGen.PatchDirectory";

    /// <summary>
    /// The configured folder as a full path, or null. A relative variable is relative to the current
    /// directory (as any path given in a shell); a relative property to the application's folder (it was
    /// written at build time, when nobody knew where the process would be started from).
    /// </summary>
    public static string? Configured()
    {
        var variable = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(variable))
            return Path.GetFullPath(variable.Trim());
        if (AppContext.GetData(RuntimeProperty) is string property && !string.IsNullOrWhiteSpace(property))
            return Path.GetFullPath(property.Trim(), AppContext.BaseDirectory);
        return null;
    }
}
