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
    /// The largest original IL body that gets a site-less inline clone, which direct calls inside the assembly use
    /// (docs/patch-sites.md, "Inline clones"); 0 writes no clones (site format 3). By default 128 bytes, the JIT's
    /// limit for any inline without profile data (<c>JitExtDefaultPolicyMaxIL</c>): the bound that measured best
    /// (docs/benchmarks.md, "Inline clones").
    /// </summary>
    public int InlineCloneMaxCodeSize { get; init; } = SiteEligibility.InlineCloneDefaultSize;

    /// <summary>Clone small instance constructors too (a <c>modopt</c>-distinguished <c>.ctor</c>).</summary>
    public bool InlineCloneConstructors { get; init; } = true;

    /// <summary>
    /// Clone final virtual methods too (interface implementations C# declared non-virtual, sealed overrides), which
    /// direct calls inside the assembly name as they name any other method. Off only in the benchmark harness's
    /// variants that measure what it brings (docs/benchmarks.md, "Runtime").
    /// </summary>
    public bool InlineCloneFinalMethods { get; init; } = true;

    /// <summary>
    /// Clone methods whose body has exception handlers too (the .NET 10 JIT inlines a <c>try</c>/<c>finally</c> or
    /// <c>try</c>/<c>catch</c>). Off only in the benchmark harness's variants that measure what it brings.
    /// </summary>
    public bool InlineCloneExceptionHandlers { get; init; } = true;

    /// <summary>
    /// Give each non-generic dispatch signature a steady stub that the JIT inlines into the dispatch blocks, so that
    /// a patched call makes one call less (docs/patch-sites.md, "Steady stubs"). On by default: a patched call costs
    /// 35–45 % less than through the out-of-line stub alone (1.0–2.2 ns, 2–3 ns on a slower host), and the unpatched build measured the same as with out-of-line stubs
    /// in seven interleaved runs (docs/benchmarks.md, "Per call"); the price is a copy of the stub in every dispatch
    /// block the JIT compiles (optimized code 8–9 % larger) and a second stub per signature in the file. Off:
    /// <c>patchgen instrument --no-steady-stubs</c>, the benchmark harness's variant <c>out-of-line-stubs</c>.
    /// </summary>
    public bool InlineSteadyStubs { get; init; } = true;

    /// <summary>
    /// A full dispatch stub whose arguments are all passed in registers jumps to the code it dispatches to
    /// (<c>tail. calli</c>) instead of calling it, so that the version returns straight to the patched method
    /// (docs/patch-sites.md, "The dispatch stubs"). On by default; off only to measure it (<c>calls-ab</c>).
    /// </summary>
    public bool TailCallStubs { get; init; } = true;

    /// <summary>
    /// Outlined bodies (site format 5, docs/patch-sites.md "Outlined bodies"): a method with more IL than this (and more
    /// than <see cref="InlineCloneMaxCodeSize"/>; not generic, not in a generic type, not a constructor, not virtual
    /// unless <see cref="OutlineVirtualMethods"/>) keeps its name, metadata and site, but its body, with its symbols,
    /// moves into a site-less clone <c>&lt;PatchGen&gt;c$Name</c> that its own body then calls, so that the JIT decides
    /// about inlining that body as in the plain build (docs/benchmarks.md, "What a large method costs"). 0: none. By
    /// default 128 bytes, the bound of the inline clones: every non-virtual method the JIT may inline without profile
    /// data has a clone, and every larger one, which it inlines only with profile data, an outlined body.
    /// </summary>
    public int OutlineBodiesOver { get; init; } = SiteEligibility.InlineCloneDefaultSize;

    /// <summary>
    /// With <see cref="OutlineBodiesOver"/>: outline virtual methods too (a call through the slot then also calls the
    /// moved body). Off but in the benchmark harness's variant <c>outlined-bodies</c>: it measured no better.
    /// </summary>
    public bool OutlineVirtualMethods { get; init; }

    /// <summary>
    /// With <see cref="OutlineBodiesOver"/>: direct calls of an outlined method M in methods with a site name its moved body
    /// <c>&lt;PatchGen&gt;c$M</c>, as they name a small method's clone, when a patch of M would then have to replace at
    /// most this many functions besides M: the methods with a site that call M directly and, through the clones among
    /// them, their callers (docs/patch-sites.md, "Outlined bodies"). Those calls then skip M's check; otherwise they keep
    /// naming M, whose forwarder and its check they inline, and a patch of M replaces M alone. 0 (the default): no call
    /// is retargeted; <see cref="int.MaxValue"/>: every one (the benchmark harness's variants <c>outlined-bodies</c> and
    /// <c>outlined-nonvirtual</c>); between, the variants <c>outlined-callers-&lt;N&gt;</c> (docs/benchmarks.md,
    /// "Retargeting the calls of outlined methods with few callers": it measured no better overall).
    /// </summary>
    public int OutlineRetargetMaxCallers { get; init; }

    /// <summary>
    /// With <see cref="OutlineBodiesOver"/>: mark each forwarder <c>AggressiveInlining</c> (slot <c>i&lt;N&gt;</c>, so that the
    /// diff engine removes the flag again), so that every caller inlines the check and calls the moved body itself.
    /// Off by default: a forwarder's flags are decided on the original body, as any method's (the shape measured).
    /// </summary>
    public bool OutlineForwardersAggressiveInlining { get; init; }
}
