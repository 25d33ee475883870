namespace PatchGen.Runtime.PatchDirectory;

/// <summary>One operation on the runtime: enable a file's patch, or disable a patch the directory enabled.</summary>
internal abstract record PlanStep
{
    private PlanStep()
    {
    }

    /// <summary>Enables <paramref name="File"/>; when it is cumulative, it atomically replaces the patches of its target.</summary>
    public sealed record Enable(PatchFile File) : PlanStep;

    /// <summary>Disables <paramref name="Patch"/> (and unloads it, which frees its ID for a new version).</summary>
    public sealed record Disable(PatchFile Patch) : PlanStep;
}
