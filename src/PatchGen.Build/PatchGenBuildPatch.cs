using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PatchGen.Build;

/// <summary>
/// <c>patchgen build --base &lt;baseline&gt; --new &lt;assembly&gt; -o &lt;patch&gt; --full-paths</c>: the
/// freshly compiled assembly against the build running in production. A change the simple model
/// rejects is an MSBuild error at its source line, and nothing is written; no changed body at all
/// (exit 3, PG0007) is only a message. With <see cref="References"/> (a baseline folder), the fresh outputs of
/// the referenced projects that take part are more <c>--base</c>/<c>--new</c> pairs of the same one patch.
/// </summary>
public sealed class PatchGenBuildPatch : PatchGenToolTask
{
    private const int NothingToPatch = 3;

    /// <summary>The patchable build running in production (v1).</summary>
    [Required]
    public string Baseline { get; set; } = "";

    /// <summary>The freshly compiled assembly (v2), before it is instrumented.</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>
    /// The referenced projects' fresh compiler output (item spec) with their baselines (<c>Baseline</c> metadata):
    /// each one more assembly of the patch, diffed on its own; those the fix did not change add nothing.
    /// </summary>
    public ITaskItem[] References { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Where to write the patch.</summary>
    [Required]
    public string Output { get; set; } = "";

    /// <summary>A strong-name key pair to sign the patch with (for processes that trust only signed patches).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The patch ID; the tool's default is the output's file name without extension.</summary>
    public string? PatchId { get; set; }

    /// <summary>
    /// The compiler's <c>$(PathMap)</c> (<c>/src/app/=/_/</c>): a deterministic CI build records mapped
    /// source paths in its PDB; the tool reads sources from, and reports, the files on this machine.
    /// </summary>
    public string? PathMap { get; set; }

    /// <summary>
    /// <c>$(PatchGenModel)</c>: which changes the diff engine accepts (<c>simple</c>, the default, or
    /// <c>extended</c>; docs/diff-rules.md). Passed as it is: the tool rejects a bad value with PG0001.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>Whether a patch was written (false when nothing differs).</summary>
    [Output]
    public bool PatchWritten { get; private set; }

    protected override bool IsSuccessExitCode(int exitCode) => exitCode == 0 || exitCode == NothingToPatch;

    protected override void AppendCommand(CommandLineBuilder builder)
    {
        builder.AppendSwitch("build");
        builder.AppendSwitch("--base");
        builder.AppendFileNameIfNotNull(Baseline);
        builder.AppendSwitch("--new");
        builder.AppendFileNameIfNotNull(Assembly);
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase) { Path.GetFileName(Assembly) };
        foreach (var reference in References)
        {
            // A reference reached by two paths (directly and through another library) is one assembly.
            if (!seen.Add(Path.GetFileName(reference.ItemSpec)))
                continue;
            builder.AppendSwitch("--base");
            builder.AppendFileNameIfNotNull(reference.GetMetadata("Baseline"));
            builder.AppendSwitch("--new");
            builder.AppendFileNameIfNotNull(reference.ItemSpec);
        }
        builder.AppendSwitch("-o");
        builder.AppendFileNameIfNotNull(Output);
        builder.AppendSwitch("--full-paths");
        if (References.Length > 0)
            builder.AppendSwitch("--changed-only"); // a referenced library the fix did not touch is no base
        if (!string.IsNullOrEmpty(PathMap))
            builder.AppendSwitchIfNotNull("--path-map ", PathMap);
        if (!string.IsNullOrEmpty(Model))
            builder.AppendSwitchIfNotNull("--model ", Model);
        if (!string.IsNullOrEmpty(KeyFile))
        {
            builder.AppendSwitch("--sign");
            builder.AppendFileNameIfNotNull(KeyFile);
        }
        if (!string.IsNullOrEmpty(PatchId))
        {
            builder.AppendSwitch("--id");
            builder.AppendFileNameIfNotNull(PatchId);
        }
    }

    public override bool Execute()
    {
        // After a patch build, the patch beside the output is this build's or none: a patch left by an
        // earlier build would be shipped for source it no longer matches once this change is rejected
        // (or once nothing differs any more).
        if (File.Exists(Output))
        {
            try
            {
                File.Delete(Output);
                Log.LogMessage(MessageImportance.Normal, "patchgen: removed the patch of an earlier build: " + Output);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogError(null, PatchGen.Diagnostics.DiagnosticCatalog.InputUnreadable.Id, null, Output, 0, 0, 0, 0, "cannot remove the patch of an earlier build: " + e.Message);
                return false;
            }
        }
        bool succeeded = base.Execute();
        PatchWritten = succeeded && ExitCode == 0;
        return succeeded;
    }
}
