using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace PatchGen.Build;

/// <summary>
/// <c>patchgen baseline &lt;assembly&gt; -o &lt;manifest&gt;</c>: the baseline manifest (MVID, member
/// signatures, body hashes) that the PatchGen analyzer reads to warn, while the fix is being written,
/// about changes a patch cannot carry.
/// </summary>
public sealed class PatchGenWriteBaseline : PatchGenToolTask
{
    /// <summary>The build the manifest describes (the patchable build, as shipped).</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>Where to write the manifest (<c>*.patchgen-baseline.txt</c>).</summary>
    [Required]
    public string Manifest { get; set; } = "";

    protected override void AppendCommand(CommandLineBuilder builder)
    {
        builder.AppendSwitch("baseline");
        builder.AppendFileNameIfNotNull(Assembly);
        builder.AppendSwitch("-o");
        builder.AppendFileNameIfNotNull(Manifest);
    }
}
