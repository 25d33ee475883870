using System.Reflection;
using PatchGen.Instrumentation;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// Three copies of one shipped library DLL, each in its own load context: plain #1 (the baseline), plain #2
/// (byte for byte the same file, the A/A control: it differs from #1 only in where it was loaded and when its
/// code was jitted) and instrumented (rewritten by <see cref="AssemblyInstrumenter"/> with its defaults, runtime not copied: the
/// default context's PatchGen.Runtime serves it); with <c>--variant</c>, a fourth copy instrumented with other
/// <see cref="InstrumentOptions"/> (<c>no-clones</c>: site format 3), measured in the same rounds.
/// </summary>
internal sealed record LibraryCopies(Assembly Plain1, Assembly Plain2, Assembly Instrumented, Assembly? Variant)
{
    public const string Plain1Name = "plain #1";
    public const string Plain2Name = "plain #2 (A/A)";
    public const string InstrumentedName = "instrumented";
    public const string VariantName = "variant";

    /// <summary>Writes plain-1/, plain-2/, instrumented/ (and variant/) under <paramref name="directory"/>; returns the instrumented DLL.</summary>
    public static string Prepare(string sourceDll, string directory, string? variant = null)
    {
        string file = Path.GetFileName(sourceDll);
        foreach (var plain in new[] { "plain-1", "plain-2" })
        {
            Directory.CreateDirectory(Path.Combine(directory, plain));
            File.Copy(sourceDll, Path.Combine(directory, plain, file), overwrite: true);
        }
        var instrumented = InstrumentedPath(directory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(instrumented)!);
        AssemblyInstrumenter.Instrument(Path.Combine(directory, "plain-1", file), instrumented, new InstrumentOptions { CopyRuntime = false });
        var variantDirectory = Path.Combine(directory, "variant");
        if (Directory.Exists(variantDirectory))
            Directory.Delete(variantDirectory, recursive: true);
        if (variant is not null)
        {
            Directory.CreateDirectory(variantDirectory);
            var result = AssemblyInstrumenter.Instrument(Path.Combine(directory, "plain-1", file), Path.Combine(variantDirectory, file), VariantOptions(variant));
            if (variant == NoChecksVariant)
                FreezeSlots(Path.Combine(variantDirectory, file));
            Console.WriteLine($"  {file} variant {variant}: {result.InlineClones.Clones} methods cloned, {result.InlineClones.RetargetedCalls} direct calls retargeted to a clone");
        }
        return instrumented;
    }

    /// <summary>
    /// The default build with every slot made <c>initonly</c>: tier-1 code reads such a static of an initialized class as
    /// a constant, so the JIT drops the checks and their dispatch blocks, and everything else (clones, outlined bodies,
    /// stubs, IL sizes as the inliner sees them) stays as the default writes it. What the checks cost, apart from the rest.
    /// Measurement only: a frozen slot can never be set, so nothing in such a build can be patched.
    /// </summary>
    private const string NoChecksVariant = "no-checks";

    private static void FreezeSlots(string dll)
    {
        var bytes = File.ReadAllBytes(dll);
        using (var module = Mono.Cecil.ModuleDefinition.ReadModule(new MemoryStream(bytes)))
        {
            var sites = module.Types.Single(t => t.Name == PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName);
            foreach (var field in sites.Fields.Where(f => PatchGen.Diagnostics.PatchSiteFormat.SiteOfSlot(f.Name) >= 0))
                field.IsInitOnly = true;
            module.Write(dll);
        }
    }

    private static InstrumentOptions VariantOptions(string variant) => variant switch
    {
        NoChecksVariant => new InstrumentOptions { CopyRuntime = false },
        "no-clones" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 },
        "clones" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 32, InlineCloneConstructors = false },
        "clones-ctors" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 32 },
        // The default rule without one or both of its widenings (docs/benchmarks.md, "Checks left in inlined copies").
        "clones-no-final" => new InstrumentOptions { CopyRuntime = false, InlineCloneFinalMethods = false },
        "clones-no-eh" => new InstrumentOptions { CopyRuntime = false, InlineCloneExceptionHandlers = false },
        // The JIT inlines callees up to 1,024 bytes of IL where Tier1 has profile data (JitExtDefaultPolicyMaxILProf).
        "clones-1024" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 1024 },
        // Bounds between: the large methods Markdig's hot callers inline with profile data are 138-235 bytes
        // (docs/benchmarks.md, "Checks left in inlined copies").
        "clones-192" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 192 },
        "clones-256" => new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 256 },
        // The default before outlined bodies (site format 4): what the default (format 5) is compared with.
        "no-outlining" => new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = 0 },
        // Bodies over 128 bytes moved into site-less clones that their sited originals call (docs/benchmarks.md, "What a
        // large method costs"), virtual ones too and direct calls naming the clone: measurement only (not patchable).
        "outlined-bodies" => new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize, OutlineVirtualMethods = true, OutlineRetargetMaxCallers = int.MaxValue },
        // The same for non-virtual methods only: a virtual one keeps today's site, so a call through its slot pays no second call.
        "outlined-nonvirtual" => new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize, OutlineVirtualMethods = false, OutlineRetargetMaxCallers = int.MaxValue },
        // And direct calls keep naming the method (its forwarder and check inlined), so patches replace no more callers: the default.
        "outlined-forwarded" => new InstrumentOptions { CopyRuntime = false, OutlineBodiesOver = SiteEligibility.InlineCloneDefaultSize, OutlineVirtualMethods = false },
        // The default with every forwarder AggressiveInlining: callers inline the check and call the moved body themselves.
        "outlined-aggressive" => new InstrumentOptions { CopyRuntime = false, OutlineForwardersAggressiveInlining = true },
        // The default with direct calls of an outlined method naming its moved body where at most N methods call it
        // directly (InstrumentOptions.OutlineRetargetMaxCallers; docs/benchmarks.md, "Retargeting the calls of outlined
        // methods with few callers"): the check-less calls of outlined-nonvirtual where a patch grows by at most N.
        _ when variant.StartsWith(OutlinedCallersPrefix, StringComparison.Ordinal) && int.TryParse(variant.AsSpan(OutlinedCallersPrefix.Length), out int callers)
            => new InstrumentOptions { CopyRuntime = false, OutlineRetargetMaxCallers = callers },
        "clones-no-final-eh" => new InstrumentOptions { CopyRuntime = false, InlineCloneFinalMethods = false, InlineCloneExceptionHandlers = false },
        // Dispatch out of line only, without the steady stubs the default inlines into the dispatch blocks
        // (docs/patch-sites.md, "Steady stubs"; the default before 2026-12-07, measured then as the variant steady-stubs).
        "out-of-line-stubs" => new InstrumentOptions { CopyRuntime = false, InlineSteadyStubs = false },
        _ => throw new ArgumentException("unknown --variant " + variant + " (" + VariantNames + ")"),
    };

    public const string VariantNames = "no-clones, clones, clones-ctors, clones-no-final, clones-no-eh, clones-no-final-eh, clones-192, clones-256, clones-1024, no-outlining, outlined-bodies, outlined-nonvirtual, outlined-forwarded, outlined-aggressive, outlined-callers-<N>, out-of-line-stubs, no-checks";

    private const string OutlinedCallersPrefix = "outlined-callers-";

    public static string PlainPath(string directory, string file) => Path.Combine(directory, "plain-1", file);

    public static string InstrumentedPath(string directory, string file) => Path.Combine(directory, "instrumented", file);

    /// <summary>Loads the copies <see cref="Prepare"/> wrote, each into a new load context.</summary>
    public static LibraryCopies Load(string directory, string file) => new(
        new VariantLoadContext("plain-1", Path.Combine(directory, "plain-1")).LoadMain(file),
        new VariantLoadContext("plain-2", Path.Combine(directory, "plain-2")).LoadMain(file),
        new VariantLoadContext("instrumented", Path.Combine(directory, "instrumented")).LoadMain(file),
        Directory.Exists(Path.Combine(directory, "variant")) ? new VariantLoadContext("variant", Path.Combine(directory, "variant")).LoadMain(file) : null);
}
