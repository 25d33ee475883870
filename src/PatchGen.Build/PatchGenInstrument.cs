using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PatchGen.Build;

/// <summary>
/// <c>patchgen instrument &lt;assembly&gt; --no-runtime-copy [--key &lt;snk&gt;]</c>, in place: the
/// compiler's output in obj gets its patch sites (and its PDB is rewritten to match) before the
/// normal copy puts it in the output folder. The runtime is not copied: the PatchGen.Runtime package
/// is already one of the app's dependencies.
/// </summary>
public sealed class PatchGenInstrument : PatchGenToolTask
{
    /// <summary>The compiled assembly, rewritten in place.</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>The project's strong-name key pair, to sign the rewritten assembly again; empty when not signed.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// <c>PatchGenInlineClones</c>: the largest IL body that gets an inline clone (docs/patch-sites.md), <c>0</c> for none;
    /// empty for the tool's default. Passed as it is: the tool rejects a bad value with PG0001.
    /// </summary>
    public string? InlineClones { get; set; }

    /// <summary>
    /// <c>PatchGenOutlineBodies</c>: methods with more IL than this get an outlined body (docs/patch-sites.md), <c>0</c> for
    /// none; empty for the tool's default. Passed as it is: the tool rejects a bad value with PG0001.
    /// </summary>
    public string? OutlineBodies { get; set; }

    /// <summary><c>PatchGenSteadyStubs</c>: <c>false</c> writes no steady stubs (docs/patch-sites.md, "Steady stubs"); anything else, the default.</summary>
    public string? SteadyStubs { get; set; }

    protected override void AppendCommand(CommandLineBuilder builder)
    {
        builder.AppendSwitch("instrument");
        builder.AppendFileNameIfNotNull(Assembly);
        builder.AppendSwitch("--no-runtime-copy");
        if (!string.IsNullOrEmpty(InlineClones))
            builder.AppendSwitchIfNotNull("--inline-clones ", InlineClones);
        if (!string.IsNullOrEmpty(OutlineBodies))
            builder.AppendSwitchIfNotNull("--outline-bodies ", OutlineBodies);
        if (string.Equals(SteadyStubs, "false", StringComparison.OrdinalIgnoreCase))
            builder.AppendSwitch("--no-steady-stubs");
        if (!string.IsNullOrEmpty(KeyFile))
        {
            builder.AppendSwitch("--key");
            builder.AppendFileNameIfNotNull(KeyFile);
        }
    }
}
