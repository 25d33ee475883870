namespace PatchGen.Instrumentation;

/// <summary>How <see cref="AssemblyInstrumenter"/> writes its output.</summary>
internal sealed class InstrumentOptions
{
    /// <summary>
    /// A strong-name key pair (<c>.snk</c>) to sign the output with. Without it a strong-named input
    /// keeps its public key (so references to it still bind) but its signature no longer matches the
    /// rewritten bytes; .NET (Core) never checks strong-name signatures, .NET Framework would.
    /// </summary>
    public string? KeyFile { get; init; }

    /// <summary>Copy PatchGen.Runtime and PatchGen.Diagnostics beside the output and register them in its deps.json files.</summary>
    public bool CopyRuntime { get; init; } = true;

    /// <summary>
    /// Benchmark-only experiment (docs/benchmarks.md, "Inline clones"): give small non-virtual methods a
    /// site-less clone that every direct call inside the assembly uses. Not a patchable shape: the diff engine
    /// and the emitter do not know clones.
    /// </summary>
    public bool InlineClones { get; init; }

    /// <summary>With <see cref="InlineClones"/>: clone small instance constructors too (a <c>modopt</c>-distinguished <c>.ctor</c>).</summary>
    public bool InlineCloneConstructors { get; init; }

    /// <summary>
    /// With <see cref="InlineClones"/>: the largest original IL body cloned; by default the bound of the AggressiveInlining
    /// rule, 128 is the JIT's default limit for any inline without profile data (<c>JitExtDefaultPolicyMaxIL</c>).
    /// </summary>
    public int InlineCloneMaxCodeSize { get; init; } = SiteEligibility.ForcedInlineSize;
}
