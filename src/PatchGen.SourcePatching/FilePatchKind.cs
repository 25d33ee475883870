namespace PatchGen.SourcePatching;

/// <summary>What a file patch does to its file.</summary>
public enum FilePatchKind
{
    /// <summary>Edits an existing file.</summary>
    Modified,

    /// <summary>Creates a file (<c>--- /dev/null</c> or git's <c>new file mode</c>).</summary>
    Added,

    /// <summary>Deletes a file (<c>+++ /dev/null</c> or git's <c>deleted file mode</c>).</summary>
    Deleted,

    /// <summary>Moves a file (git's <c>rename from</c>/<c>rename to</c>), possibly editing it too.</summary>
    Renamed,
}
