using System.Diagnostics;
using Mono.Cecil;
using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.Diff.Closures;

namespace PatchGen.Emit;

/// <summary>
/// <c>patchgen build --base --new</c>: diffs the two builds and, if the change is patchable under
/// the model of the options (the simple model by default), writes a patch assembly (docs/patch-format.md) holding the new bodies of every
/// changed method and whatever they need that the base does not have. Bound to the exact base build
/// by its MVID. Anything the diff engine rejects is rejected here with the same diagnostics, and
/// nothing is written.
/// </summary>
internal static class PatchBuilder
{
    private const string CallbackAttribute = RuntimeNames.PatchCallbackAttribute;
    private const string SystemStateAttribute = RuntimeNames.PatchSystemStateAttribute;

    /// <summary>Input errors (PG0001, PG0002, unusable key) throw <see cref="PatchGenException"/>.</summary>
    public static PatchBuildResult Build(PatchBuildOptions options)
    {
        var clock = Stopwatch.StartNew();
        var key = PatchOutput.ReadKey(options.KeyFile);
        var pairs = options.Pairs;
        var inputs = new List<(AssemblyInput Base, AssemblyInput New)>();
        try
        {
            foreach (var pair in pairs)
            {
                var @base = AssemblyInput.Load(pair.BasePath);
                try
                {
                    inputs.Add((@base, AssemblyInput.Load(pair.NewPath)));
                }
                catch
                {
                    @base.Dispose();
                    throw;
                }
            }
            RefuseRepeatedAssemblies(inputs.Select(i => i.Base), pairs);
            return Build(options, key, inputs, clock);
        }
        finally
        {
            foreach (var (@base, @new) in inputs)
            {
                @base.Dispose();
                @new.Dispose();
            }
        }
    }

    private static PatchBuildResult Build(PatchBuildOptions options, byte[]? key, List<(AssemblyInput Base, AssemblyInput New)> inputs, Stopwatch clock)
    {
        // The same-code check runs ahead on a thread of its own only where a core is free for it (SpareCore).
        var sameCode = SpareCore.Available() ? SameCodeOrder.Concurrent : SameCodeOrder.Off;
        var compared = inputs.Select(i => (i.Base, i.New, Diff: AssemblyDiffer.Compare(i.Base, i.New, options.SourcePaths, options.Model, sameCode))).ToList();
        var diffs = compared.Select(c => c.Diff.Result).ToList();
        string patchId = options.EffectivePatchId;

        // Building a patch for a base without sites is pointless: an error here, a warning for diff.
        var diagnostics = diffs.SelectMany(d => d.Diagnostics)
            .Select(d => d.Id == DiagnosticCatalog.BaseNotPatchable.Id ? d.WithSeverity(DiagnosticSeverity.Error) : d)
            .ToList();
        var none = Array.Empty<PatchedBase>();
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || !diffs.Any(d => d.HasBodyChanges))
            return new PatchBuildResult(diffs, diagnostics, null, patchId, none, clock.Elapsed);

        ModuleDefinition patch;
        List<PatchedBase> bases;
        using var resolver = PatchAssemblyResolver.ForInputs(options.Pairs.SelectMany(p => new[] { p.BasePath, p.NewPath }).ToArray());
        try
        {
            (patch, bases) = Compose(compared.Select(c => (c.Base, c.New, c.Diff.Context)).ToList(), patchId, options.Cumulative, resolver);
        }
        catch (EmitException e)
        {
            diagnostics.Add(e.ToDiagnostic(null));
            return new PatchBuildResult(diffs, diagnostics, null, patchId, none, clock.Elapsed);
        }
        catch (Exception e) when (e is not PatchGenException and not OutOfMemoryException)
        {
            diagnostics.Add(new EmitException("the patch", $"metadata the emitter could not compose ({e.GetType().Name}: {e.Message})").ToDiagnostic(null));
            return new PatchBuildResult(diffs, diagnostics, null, patchId, none, clock.Elapsed);
        }

        try
        {
            PatchOutput.Write(patch, options.OutputPath, key, options.KeyFile);
        }
        catch (Exception e) when (e is not PatchGenException)
        {
            // Cecil refused to write what was composed (nothing was moved over the output).
            diagnostics.Add(new EmitException("the patch", $"metadata the writer rejected ({e.GetType().Name}: {e.Message})").ToDiagnostic(null));
            return new PatchBuildResult(diffs, diagnostics, null, patchId, none, clock.Elapsed);
        }
        return new PatchBuildResult(diffs, diagnostics, Path.GetFullPath(options.OutputPath), patchId, bases, clock.Elapsed);
    }

    /// <summary>Two pairs of one assembly would make two bases of one name: the runtime could not tell their methods apart (PG0001).</summary>
    private static void RefuseRepeatedAssemblies(IEnumerable<AssemblyInput> bases, IReadOnlyList<AssemblyPair> pairs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (@base, pair) in bases.Zip(pairs))
        {
            if (!seen.Add(@base.Name))
                throw new PatchGenException(new PatchDiagnostic(DiagnosticCatalog.InputUnreadable.Id, DiagnosticSeverity.Error, null,
                    $"{pair.BasePath}: a second base of assembly '{@base.Name}' (one patch has one base/new pair per assembly)", null, null));
        }
    }

    /// <summary>
    /// One module for every pair: one composer per base, sharing the module, so that code of one base's
    /// fix that uses what another base's fix adds gets the patch's copy of it (<see cref="PatchComposers"/>).
    /// </summary>
    private static (ModuleDefinition, List<PatchedBase>) Compose(List<(AssemblyInput Base, AssemblyInput New, DiffContext Context)> pairs, string patchId, bool cumulative, IAssemblyResolver resolver)
    {
        var (primary, primaryNew, _) = pairs[0];
        var factory = PatchAssemblyFactory.Create(primary.Module, primaryNew.Module, patchId, resolver);
        var composers = new PatchComposers();
        foreach (var (@base, @new, context) in pairs)
        {
            var composer = new PatchComposer(@base.Module, @new.Module, factory.Module, new CustomAttributeCopier(@new.Module), composers);
            composer.MoveAddedStatics(context.NewRenderer.AddedStatics, factory.RuntimeType(RuntimeNames.ShadowVariablesName));
            composers.Add(composer);
        }

        var carried = new List<IReadOnlyDictionary<string, string>>();
        for (int i = 0; i < pairs.Count; i++)
            carried.Add(AddReplacements(factory, composers[i], pairs[i].Context, i == 0 ? null : pairs[i].Base.Name));
        for (int i = 0; i < pairs.Count; i++)
            AddCallbacksAndStates(factory, composers[i], pairs[i].New);

        composers.Complete();
        factory.RemoveShadowsAfterUnpatch(composers.SelectMany(c => c.ShadowIds).ToList());
        // A base with inline clones takes only a patch that says it replaced their callers, and one with outlined bodies
        // only a patch that says its originals are the moved bodies (the runtime checks).
        int format = pairs.Any(p => p.Context.BaseSiteFormat >= PatchSiteFormat.Version) ? PatchFormat.OutlinedBodyAware
            : pairs.Any(p => p.Context.BaseSiteFormat >= PatchSiteFormat.InlineClonesVersion) ? PatchFormat.InlineCloneAware
            : pairs.Count == 1 ? PatchFormat.SingleBase : PatchFormat.MultiBase;
        factory.AddPatchAttribute(patchId, primary.Name, primary.Mvid, cumulative, format);
        foreach (var (@base, _, _) in pairs.Skip(1))
            factory.AddPatchBase(@base.Name, @base.Mvid);
        factory.RecordHolders(composers.SelectMany(c => c.Holders));
        // The bases' non-public members, and those of any other non-framework assembly the patch
        // uses (a base may have been granted InternalsVisibleTo by them; the patch has not).
        var reached = factory.Module.AssemblyReferences
            .Select(r => r.Name)
            .Where(n => n != RuntimeNames.AssemblyName && !IsFramework(n))
            .Concat(pairs.Select(p => p.Base.Name));
        factory.IgnoreAccessChecksTo(reached);
        var bases = pairs.Select((p, i) => new PatchedBase(p.Base.Name, p.Base.Mvid, composers[i].Replaced.Select(r => (r.DocumentationId, r.Site)).ToList(), carried[i])).ToList();
        return (factory.Module, bases);
    }

    /// <param name="assembly">The base's name on its <c>[Replaces]</c> and <c>[Original]</c>; null for the first base.</param>
    /// <returns>The methods replaced only because they run an inline clone of a changed one, each with that method's ID.</returns>
    private static IReadOnlyDictionary<string, string> AddReplacements(PatchAssemblyFactory factory, PatchComposer composer, DiffContext context, string? assembly)
    {
        var changed = context.ChangedMethods
            .Select(c => (Change: c, Id: DocumentationId.For(c.Base)))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var (change, _) in changed)
            composer.Share(change.Lambdas);
        // Every base method whose site the patch takes, for the inline clones' callers below.
        var replaced = new HashSet<MethodDefinition>();
        foreach (var (change, id) in changed)
        {
            // The owner only if its own code changed (or not all it owns was matched); its lambdas
            // matched and changed through their own sites (docs/patch-format.md).
            if (change.Lambdas.OwnerReplaced)
            {
                var replacement = composer.AddReplacement(change.New, id, SiteOf(context, change.Base));
                factory.MarkReplacement(replacement, id, SiteOf(context, change.Base), assembly);
                factory.MarkOriginal(composer.AddOriginal(change.Base), id, assembly);
                replaced.Add(change.Base);
            }
            foreach (var lambda in change.Lambdas.InPlace)
            {
                var lambdaId = DocumentationId.For(lambda.Base);
                int site = SiteOf(context, lambda.Base);
                factory.MarkReplacement(composer.AddLambdaReplacement(lambda.New, lambda.Base, lambdaId, site), lambdaId, site, assembly);
                factory.MarkOriginal(composer.AddOriginal(lambda.Base), lambdaId, assembly);
                replaced.Add(lambda.Base);
            }
        }
        return AddInlineCloneCallers(factory, composer, context, assembly, replaced);
    }

    /// <summary>
    /// Replaces, with the base's own body, every method that runs an inlined copy of the clone of a replaced method
    /// (<see cref="InlineCloneCallers"/>, docs/patch-sites.md "Inline clones"), so that it is one of the patch's
    /// functions: a thread inside it keeps the old generation until it leaves, as it would inside the changed method.
    /// </summary>
    private static Dictionary<string, string> AddInlineCloneCallers(PatchAssemblyFactory factory, PatchComposer composer, DiffContext context, string? assembly, HashSet<MethodDefinition> replaced)
    {
        var carried = new Dictionary<string, string>(StringComparer.Ordinal);
        var callers = new SortedDictionary<string, (MethodDefinition Method, string Because)>(StringComparer.Ordinal);
        foreach (var method in replaced.OrderBy(DocumentationId.For, StringComparer.Ordinal))
        {
            string because = DocumentationId.For(method);
            foreach (var caller in context.BaseInlineClones.Of(method))
            {
                if (!replaced.Contains(caller))
                    callers.TryAdd(DocumentationId.For(caller), (caller, because));
            }
        }
        foreach (var (id, (caller, because)) in callers)
        {
            if (!context.BaseSites.TryGetValue(caller, out int site))
                throw new EmitException(CSharpName.Of(caller, qualified: true), $"a method that runs an inline clone of {because} but has no patch site (an instrumenter older than this PatchGen wrote the base; instrument the original build again)");
            factory.MarkReplacement(composer.AddCarriedReplacement(caller, id, site), id, site, assembly);
            factory.MarkOriginal(composer.AddOriginal(caller), id, assembly);
            carried.Add(id, because);
        }
        return carried;
    }

    private static void AddCallbacksAndStates(PatchAssemblyFactory factory, PatchComposer composer, AssemblyInput @new)
    {
        foreach (var method in @new.Module.GetTypes().SelectMany(t => t.Methods))
        {
            var callback = method.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == CallbackAttribute);
            if (callback is null)
                continue;
            var name = CSharpName.Of(method, qualified: true);
            if (!method.IsStatic || method.Parameters.Count != 0 || method.ReturnType.MetadataType != MetadataType.Void || method.HasGenericParameters)
                throw new EmitException(name, "a patch callback that is not static, parameterless and void");
            if (composer.Include(method) is not MethodDefinition copy || copy.Module != factory.Module)
                throw new EmitException(name, "a patch callback the base already has (a callback must be new in the fix)");
            factory.MarkCallback(copy, Convert.ToInt32(callback.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var state in @new.Assembly.CustomAttributes.Where(a => a.AttributeType.FullName == SystemStateAttribute))
            factory.AddSystemState((int)state.ConstructorArguments[0].Value, (int)state.ConstructorArguments[1].Value);
    }

    private static int SiteOf(DiffContext context, MethodDefinition method)
        => context.BaseSites.TryGetValue(method, out int site) ? site
            : throw new EmitException(CSharpName.Of(method, qualified: true), $"a body that has no patch site in the base ({Instrumentation.SiteEligibility.WhyNot(method) ?? "not instrumented"}; docs/patch-sites.md)");

    private static bool IsFramework(string name)
        => name is "mscorlib" or "netstandard" or "System" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}
