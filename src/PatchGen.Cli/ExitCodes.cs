namespace PatchGen.Cli;

/// <summary>The exit codes of docs/cli.md: scripts and CI pipelines rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for diff and build: the change is patchable.</summary>
    public const int Success = 0;

    /// <summary>For diff and build: not patchable under the simple model.</summary>
    public const int NotPatchable = 1;

    /// <summary>Usage or input error (a PG0xxx error, PG0009 included: an internal error is reported, never thrown).</summary>
    public const int InputError = 2;

    /// <summary>For diff and build: no method body differs (PG0007).</summary>
    public const int NothingToPatch = 3;

    /// <summary>A runtime operation failed or did not complete (PG4xxx).</summary>
    public const int RuntimeFailure = 4;
}
