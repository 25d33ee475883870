using System.Diagnostics;
using Mono.Cecil;
using PatchGen.Diagnostics;
using PatchGen.Diff;

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
        using var @base = AssemblyInput.Load(options.BasePath);
        using var @new = AssemblyInput.Load(options.NewPath);
        var (diff, context) = AssemblyDiffer.Compare(@base, @new, options.SourcePaths, options.Model);
        string patchId = options.EffectivePatchId;

        // Building a patch for a base without sites is pointless: an error here, a warning for diff.
        var diagnostics = diff.Diagnostics
            .Select(d => d.Id == DiagnosticCatalog.BaseNotPatchable.Id ? d.WithSeverity(DiagnosticSeverity.Error) : d)
            .ToList();
        var none = Array.Empty<(string, int)>();
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || !diff.HasBodyChanges)
            return new PatchBuildResult(diff, diagnostics, null, patchId, none, clock.Elapsed);

        ModuleDefinition patch;
        List<(string, int)> replaced;
        using var resolver = PatchAssemblyResolver.ForInputs(options.BasePath, options.NewPath);
        try
        {
            (patch, replaced) = Compose(@base, @new, context, patchId, options.Cumulative, resolver);
        }
        catch (EmitException e)
        {
            diagnostics.Add(e.ToDiagnostic(null));
            return new PatchBuildResult(diff, diagnostics, null, patchId, none, clock.Elapsed);
        }
        catch (Exception e) when (e is not PatchGenException and not OutOfMemoryException)
        {
            diagnostics.Add(new EmitException("the patch", $"metadata the emitter could not compose ({e.GetType().Name}: {e.Message})").ToDiagnostic(null));
            return new PatchBuildResult(diff, diagnostics, null, patchId, none, clock.Elapsed);
        }

        try
        {
            PatchOutput.Write(patch, options.OutputPath, key, options.KeyFile);
        }
        catch (Exception e) when (e is not PatchGenException)
        {
            // Cecil refused to write what was composed (nothing was moved over the output).
            diagnostics.Add(new EmitException("the patch", $"metadata the writer rejected ({e.GetType().Name}: {e.Message})").ToDiagnostic(null));
            return new PatchBuildResult(diff, diagnostics, null, patchId, none, clock.Elapsed);
        }
        return new PatchBuildResult(diff, diagnostics, Path.GetFullPath(options.OutputPath), patchId, replaced, clock.Elapsed);
    }

    private static (ModuleDefinition, List<(string, int)>) Compose(AssemblyInput @base, AssemblyInput @new, DiffContext context, string patchId, bool cumulative, IAssemblyResolver resolver)
    {
        var factory = PatchAssemblyFactory.Create(@base.Module, @new.Module, patchId, resolver);
        var composer = new PatchComposer(@base.Module, @new.Module, factory.Module, new CustomAttributeCopier(@new.Module));

        var changed = context.ChangedMethods
            .Select(c => (Change: c, Id: DocumentationId.For(c.Base)))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var (change, _) in changed)
            composer.Share(change.Lambdas);
        foreach (var (change, id) in changed)
        {
            // The owner only if its own code changed (or not all it owns was matched); its lambdas
            // matched and changed through their own sites (docs/patch-format.md).
            if (change.Lambdas.OwnerReplaced)
            {
                var replacement = composer.AddReplacement(change.New, id, SiteOf(context, change.Base));
                factory.MarkReplacement(replacement, id, SiteOf(context, change.Base));
                factory.MarkOriginal(composer.AddOriginal(change.Base), id);
            }
            foreach (var lambda in change.Lambdas.InPlace)
            {
                var lambdaId = DocumentationId.For(lambda.Base);
                int site = SiteOf(context, lambda.Base);
                factory.MarkReplacement(composer.AddLambdaReplacement(lambda.New, lambda.Base, lambdaId, site), lambdaId, site);
                factory.MarkOriginal(composer.AddOriginal(lambda.Base), lambdaId);
            }
        }

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

        composer.Complete();
        factory.AddPatchAttribute(patchId, @base.Name, @base.Mvid, cumulative);
        factory.RecordHolders(composer.Holders);
        // The base's non-public members, and those of any other non-framework assembly the patch
        // uses (the base may have been granted InternalsVisibleTo by them; the patch has not).
        var reached = factory.Module.AssemblyReferences
            .Select(r => r.Name)
            .Where(n => n != RuntimeNames.AssemblyName && !IsFramework(n))
            .Append(@base.Name);
        factory.IgnoreAccessChecksTo(reached);
        return (factory.Module, composer.Replaced.Select(r => (r.DocumentationId, r.Site)).ToList());
    }

    private static int SiteOf(DiffContext context, MethodDefinition method)
        => context.BaseSites.TryGetValue(method, out int site) ? site
            : throw new EmitException(CSharpName.Of(method, qualified: true), $"a body that has no patch site in the base ({Instrumentation.SiteEligibility.WhyNot(method) ?? "not instrumented"}; docs/patch-sites.md)");

    private static bool IsFramework(string name)
        => name is "mscorlib" or "netstandard" or "System" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}
