using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PatchGen.Build;

/// <summary>
/// Runs the <c>patchgen</c> command line that ships in this package, out of process, with the
/// <c>dotnet</c> host that runs the build (as ILLink's task runs illink.dll). Out of process, the
/// tool loads its own Mono.Cecil and Roslyn whatever versions MSBuild itself has loaded, and the task
/// stays a thin front end: every rule lives in the core libraries behind the command line.
/// The tool's diagnostics, in MSBuild's canonical form, become errors, warnings and messages with
/// the PG ID as their code and the absolute source file and line, so IDEs and CI logs link to them.
/// </summary>
public abstract class PatchGenToolTask : ToolTask
{
    /// <summary>The tool, <c>tools/net10.0/patchgen.dll</c> in the package.</summary>
    [Required]
    public string PatchGenPath { get; set; } = "";

    /// <summary>The <c>dotnet</c> that runs MSBuild (<c>$(DOTNET_HOST_PATH)</c>); found on PATH when empty.</summary>
    public string? DotnetHostPath { get; set; }

    /// <summary>What relative source paths are relative to: the project's folder.</summary>
    public string? ProjectDirectory { get; set; }

    protected override string ToolName => IsWindows ? "dotnet.exe" : "dotnet";

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    /// <summary>Exit codes that are not failures for this command (<c>build</c>: 3, nothing to patch).</summary>
    protected virtual bool IsSuccessExitCode(int exitCode) => exitCode == 0;

    /// <summary>The <c>patchgen</c> subcommand and its arguments.</summary>
    protected abstract void AppendCommand(CommandLineBuilder builder);

    protected override string GenerateFullPathToTool()
    {
        if (!string.IsNullOrEmpty(DotnetHostPath) && File.Exists(DotnetHostPath))
            return DotnetHostPath!;
        // Outside the SDK's task host (an old MSBuild, a custom host), the first dotnet on PATH.
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            try
            {
                var candidate = Path.Combine(directory.Trim(), ToolName);
                if (directory.Trim().Length > 0 && File.Exists(candidate))
                    return candidate;
            }
            catch (ArgumentException)
            {
                // A malformed PATH entry: skip it.
            }
        }
        return ToolName;
    }

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        // Roll forward to a newer major runtime when the tool's own is not installed: a build machine
        // with only a later SDK must still run it.
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--roll-forward ", "Major");
        builder.AppendFileNameIfNotNull(PatchGenPath);
        AppendCommand(builder);
        return builder.ToString();
    }

    protected override bool ValidateParameters()
    {
        if (!File.Exists(PatchGenPath))
        {
            Log.LogError($"patchgen: the PatchGen tool is missing at '{PatchGenPath}'; restore the PatchGen.Build package again");
            return false;
        }
        return base.ValidateParameters();
    }

    /// <summary>Every line of the tool's output, standard output and error alike.</summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        var line = ToolOutputLine.Parse(singleLine);
        if (line is null)
        {
            // The tool's own summary lines ("patchgen: wrote ...") are worth seeing in a normal build log.
            var importance = singleLine.StartsWith("patchgen:", StringComparison.Ordinal) ? MessageImportance.High : MessageImportance.Low;
            Log.LogMessage(importance, singleLine);
            return;
        }
        var file = line.File is null ? null : SourcePaths.Resolve(line.File, ProjectDirectory);
        int lineNumber = line.Line ?? 0, column = line.Column ?? 0;
        switch (line.Severity)
        {
            case "error":
                Log.LogError(null, line.Id, null, file, lineNumber, column, 0, 0, line.Message);
                break;
            case "warning":
                Log.LogWarning(null, line.Id, null, file, lineNumber, column, 0, 0, line.Message);
                break;
            default:
                Log.LogMessage(null, line.Id, null, file, lineNumber, column, 0, 0, MessageImportance.High, line.Message);
                break;
        }
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (IsSuccessExitCode(ExitCode) && !Log.HasLoggedErrors)
            return true;
        // The tool reported why in its own words (a PG ID); MSBuild's generic "exited with code" adds nothing.
        if (Log.HasLoggedErrors)
            return false;
        return base.HandleTaskExecutionErrors();
    }

    /// <summary>The tool writes UTF-8 whatever the console's code page.</summary>
    protected override Encoding StandardOutputEncoding => new UTF8Encoding(false);

    protected override Encoding StandardErrorEncoding => new UTF8Encoding(false);
}
