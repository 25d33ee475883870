using System.Diagnostics;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Runtime;

namespace PatchGen.Instrumentation;

/// <summary>
/// <c>patchgen instrument</c>: gives every eligible method of an assembly a patch site, exactly as
/// docs/patch-sites.md specifies, and writes the result (with its symbols, rewritten to match) without
/// ever leaving a half-written file behind.
/// </summary>
internal static class AssemblyInstrumenter
{
    private const string PatchableAttributeName = PatchGen.Diagnostics.RuntimeNames.PatchableAssemblyAttribute;

    /// <summary>
    /// Instruments <paramref name="inputPath"/> into <paramref name="outputPath"/> (which may be the same
    /// file). Input errors are thrown as <see cref="PatchGenException"/> with PG0001.
    /// </summary>
    public static InstrumentResult Instrument(string inputPath, string outputPath, InstrumentOptions? options = null)
    {
        options ??= new InstrumentOptions();
        var clock = Stopwatch.StartNew();
        byte[]? key = options.KeyFile is null ? null : ReadKey(options.KeyFile);

        using var input = InstrumentInput.Load(inputPath);
        var assembly = input.Assembly;
        var module = assembly.MainModule;
        if (assembly.CustomAttributes.Any(a => a.AttributeType.FullName == PatchableAttributeName)
            || module.Types.Any(t => t.Name == SiteTable.TypeName))
            throw InstrumentErrors.Input(inputPath, "already instrumented (it carries PatchableAssemblyAttribute); instrument the original build instead");
        if (assembly.Name.Name == RuntimeReferences.RuntimeAssembly.GetName().Name)
            throw InstrumentErrors.Input(inputPath, "is the patch runtime itself, which cannot be instrumented");
        if ((module.Attributes & ModuleAttributes.ILOnly) == 0)
            throw InstrumentErrors.Input(inputPath, "is a mixed-mode (native code) assembly, which cannot be rewritten");

        var originalMvid = module.Mvid;
        // The types as they are before anything is added, in metadata order: site numbers follow it.
        var types = module.GetTypes().Where(t => !SiteEligibility.IsGenerated(t)).ToList();

        var references = new RuntimeReferences(module);
        var table = new SiteTable(module, references);
        var stubs = new DispatchStubs(module, table, references, options.InlineSteadyStubs, options.TailCallStubs);
        var skipped = new List<SkippedMethod>();
        int site = 0, aggressive = 0;
        var sited = new HashSet<MethodDefinition>();
        // Cloned from the original bodies, so before any is rewritten; the clones get no site.
        var clones = options.InlineCloneMaxCodeSize > 0 || options.OutlineBodiesOver > 0 ? InlineClones.Create(types, table.Type, options) : null;

        foreach (var type in types)
        {
            foreach (var method in type.Methods)
            {
                if (clones?.IsClone(method) == true)
                    continue;
                var reason = SiteEligibility.WhyNot(method);
                if (reason != null)
                {
                    skipped.Add(new SkippedMethod(method.FullName, reason));
                    continue;
                }
                // Symbols are read lazily and by IL offset: they must be attached to instructions
                // before the body moves under them.
                _ = method.DebugInformation.HasSequencePoints;
                _ = method.DebugInformation.Scope;

                bool addAggressiveInlining = SiteEligibility.AddsAggressiveInlining(method)
                    || (options.OutlineForwardersAggressiveInlining && clones?.IsOutlined(method) == true
                        && (method.ImplAttributes & MethodImplAttributes.AggressiveInlining) == 0);
                if (addAggressiveInlining)
                {
                    method.ImplAttributes |= MethodImplAttributes.AggressiveInlining;
                    aggressive++;
                }
                var slot = table.AddSlot(site, addAggressiveInlining);
                MethodRewriter.Rewrite(method, site, slot, stubs.For(method));
                sited.Add(method);
                site++;
            }
        }

        int retargeted = clones?.Retarget(sited) ?? 0;
        ModuleInitializer.CallObserve(module, references);

        var marker = new CustomAttribute(references.PatchableAssemblyAttributeConstructor);
        marker.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.Int32, site));
        marker.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, originalMvid.ToString()));
        marker.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.Int32,
            SiteFormat(clones)));
        assembly.CustomAttributes.Add(marker);

        AtomicOutput.Write(input, outputPath, key, options.KeyFile);
        if (options.CopyRuntime)
            RuntimeFiles.CopyBeside(outputPath);
        return new InstrumentResult(Path.GetFullPath(outputPath), site, stubs.Count, aggressive, skipped, input.Symbols != SymbolKind.None, clock.Elapsed)
        {
            InlineClones = (clones?.Count ?? 0, retargeted),
            OutlinedBodies = clones?.OutlinedCount ?? 0,
        };
    }

    /// <summary>
    /// 3 without clones, 5 when a body was outlined, 4 otherwise: the format says what the file needs of its reader, so a
    /// build in which nothing was large enough to outline stays readable by a runtime and a diff engine that read format 4.
    /// </summary>
    private static int SiteFormat(InlineClones? clones)
        => clones is null ? PatchGen.Diagnostics.PatchSiteFormat.WithoutInlineClonesVersion
            : clones.OutlinedCount > 0 ? PatchGen.Diagnostics.PatchSiteFormat.Version
            : PatchGen.Diagnostics.PatchSiteFormat.InlineClonesVersion;

    private static byte[] ReadKey(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InstrumentErrors.Input(path, File.Exists(path) ? "cannot be read: " + e.Message : Directory.Exists(path) ? "is a directory, not a key file" : "key file not found");
        }
    }
}
