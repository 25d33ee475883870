namespace PatchGen.SourcePatching;

/// <summary>How <see cref="ProjectPatchBuilder"/> copies and builds a project.</summary>
public sealed class ProjectPatchBuilderOptions
{
    /// <summary>The build configuration; Release, as the service runs in production.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>
    /// The folder that is copied and that patch paths are relative to: by default the project's own
    /// folder. Set it to the repository root when the project needs files above its folder
    /// (<c>Directory.Build.props</c>, project references) or the patch is made at the root.
    /// </summary>
    public string? SourceRoot { get; init; }

    /// <summary>Where the work folder is created; the system temp folder by default.</summary>
    public string? WorkRoot { get; init; }

    /// <summary>Where build logs go; inside the work folder (so deleted with it) by default.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Leading path components stripped from patch paths (1 strips <c>a/</c> and <c>b/</c>).</summary>
    public int StripComponents { get; init; } = 1;

    /// <summary>The target framework, for projects with several (<c>-f</c>).</summary>
    public string? TargetFramework { get; init; }

    /// <summary>Extra arguments for <c>dotnet build</c>, after PatchGen's own.</summary>
    public IReadOnlyList<string> BuildArguments { get; init; } = Array.Empty<string>();

    /// <summary>A build that runs longer than this is stopped and reported.</summary>
    public TimeSpan BuildTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The <c>dotnet</c> executable; by default the one the current SDK host names, else the one on PATH.</summary>
    public string? DotnetPath { get; init; }

    /// <summary>Keep the work folder when disposed (to look at the copies after the fact).</summary>
    public bool KeepWorkDirectory { get; init; }
}
