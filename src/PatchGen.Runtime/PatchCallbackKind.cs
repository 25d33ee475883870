namespace PatchGen.Runtime;

/// <summary>When a patch callback runs (livepatch's <c>klp_callbacks</c>).</summary>
public enum PatchCallbackKind
{
    /// <summary>Before the patch's transition starts; throwing refuses the patch (PG4004).</summary>
    PrePatch,
    /// <summary>After every thread runs the patched code; throwing reverts the patch (PG4004).</summary>
    PostPatch,
    /// <summary>Before the revert transition starts; throwing keeps the patch enabled (PG4004).</summary>
    PreUnpatch,
    /// <summary>After every thread runs the original code again; throwing re-enables the patch (PG4004).</summary>
    PostUnpatch,
}
