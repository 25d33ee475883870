namespace PatchGen.Corpus.Run;

/// <summary>How one commit fared under one model.</summary>
internal enum Verdict
{
    /// <summary><c>patchgen build</c> wrote a patch.</summary>
    Patchable,
    /// <summary>Not patchable (exit 1), with the error IDs of the diff report.</summary>
    Rejected,
    /// <summary>Nothing to patch (exit 3): no method body changed in the assembly.</summary>
    NoChange,
    /// <summary>The commit or its parent did not build here: excluded from the rate, counted apart.</summary>
    BuildFailed,
    /// <summary>patchgen failed (exit 2 or another code on an input that built): counted against the rate.</summary>
    ToolError,
}
