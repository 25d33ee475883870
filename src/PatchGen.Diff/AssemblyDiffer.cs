using Mono.Cecil;
using PatchGen.Diagnostics;
using PatchGen.Diff.Shape;
using PatchGen.Rules;

namespace PatchGen.Diff;

/// <summary>
/// The diff engine's entry point: compares a base build with a new build of the same assembly and
/// classifies every change under a <see cref="PatchModel"/> (the simple model unless told otherwise;
/// the catalogue of docs/diagnostics.md).
/// </summary>
public static class AssemblyDiffer
{
    /// <summary>The assembly attribute that <c>patchgen instrument</c> leaves in a patchable build.</summary>
    internal const string PatchableAssemblyAttribute = RuntimeNames.PatchableAssemblyAttribute;

    /// <summary>
    /// Compares two builds. Input problems (missing, unreadable or corrupt files, different
    /// assemblies) throw a <see cref="PatchGenException"/> carrying PG0001 or PG0002.
    /// </summary>
    public static DiffResult Compare(string basePath, string newPath) => Compare(basePath, newPath, SourcePathOptions.Default);

    /// <summary>As <see cref="Compare(string, string)"/>, with source files read and named as <paramref name="paths"/> says.</summary>
    public static DiffResult Compare(string basePath, string newPath, SourcePathOptions paths) => Compare(basePath, newPath, paths, PatchModel.Simple);

    /// <summary>As <see cref="Compare(string, string, SourcePathOptions)"/>, under <paramref name="model"/>.</summary>
    public static DiffResult Compare(string basePath, string newPath, SourcePathOptions paths, PatchModel model)
    {
        // Helper threads only where a core is free for them (SpareCore): the report is the same either way.
        bool spareCore = SpareCore.Available();
        var (baseInput, newInput) = spareCore ? AssemblyInput.LoadBoth(basePath, newPath, paths) : AssemblyInput.LoadInTurn(basePath, newPath);
        using (baseInput)
        using (newInput)
            return Compare(baseInput, newInput, paths, model, spareCore ? Closures.SameCodeOrder.Concurrent : Closures.SameCodeOrder.Off).Result;
    }

    /// <param name="sameCode">For tests: how the same-code check runs ahead of the rules (<see cref="Closures.SameCodeAhead"/>).</param>
    internal static (DiffResult Result, DiffContext Context) Compare(AssemblyInput @base, AssemblyInput @new, SourcePathOptions? paths = null, PatchModel model = PatchModel.Simple, Closures.SameCodeOrder sameCode = Closures.SameCodeOrder.Concurrent)
    {
        if (!string.Equals(@base.Name, @new.Name, StringComparison.Ordinal))
            throw new PatchGenException(PatchDiagnostic.Of(DiagnosticCatalog.AssemblyNameMismatch, @new.Path, @new.Name, @base.Name));

        var context = new DiffContext(@base, @new, paths, model);
        foreach (var input in new[] { @base, @new })
        {
            if (!input.HasSymbols)
                context.Report(DiagnosticCatalog.NoSymbols, null, null, input.Path);
        }

        bool hasPatchSites = HasPatchSites(@base);
        if (hasPatchSites)
        {
            context.BaseSites = InstrumentationView.ReadSites(@base.Module);
            context.BaseSiteFormat = SiteFormatOf(@base);
        }
        // The production build is usually the instrumented one; compare what it was built from.
        if (hasPatchSites)
            context.BaseInlineClones = InstrumentationView.Restore(@base.Module);
        if (HasPatchSites(@new))
            InstrumentationView.Restore(@new.Module);
        if (!hasPatchSites)
            context.Report(PatchDiagnostic.Of(DiagnosticCatalog.BaseNotPatchable, @base.Path).WithSeverity(DiagnosticSeverity.Warning));

        // The same-code check of the matched methods runs ahead on another thread (Closures.SameCodeAhead), and ends
        // with the comparison: no thread but this one reads the builds once it returns.
        if (model == PatchModel.Simple && sameCode != Closures.SameCodeOrder.Off)
            context.SameCodeAhead = Closures.SameCodeAhead.Start(@base.Module, @new.Module);
        if (sameCode == Closures.SameCodeOrder.FinishedFirst)
            context.SameCodeAhead?.WaitForAll();
        try
        {
            CompareTypes(context);
        }
        finally
        {
            context.SameCodeAhead?.Stop();
        }
        ResourceComparer.Compare(context);

        if (!context.Changes.Any(c => c.Kind == ChangeKind.BodyChanged))
            context.Report(DiagnosticCatalog.NothingToPatch, null, null, @base.Path, @new.Path);

        var result = new DiffResult(
            new AssemblySummary(@base.Path, @base.Name, @base.Mvid, hasPatchSites),
            new AssemblySummary(@new.Path, @new.Name, @new.Mvid, null),
            context.Changes.OrderBy(c => c.Member, StringComparer.Ordinal).ThenBy(c => c.KindName, StringComparer.Ordinal).ToList(),
            context.Diagnostics
                .Distinct()
                .OrderBy(d => d.Member ?? "", StringComparer.Ordinal)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ThenBy(d => d.Message, StringComparer.Ordinal)
                .ThenBy(d => d.File ?? "", StringComparer.Ordinal)
                .ThenBy(d => d.Line ?? 0)
                .ToList(),
            context.LambdaReplacements
                .OrderBy(l => l.Owner, StringComparer.Ordinal)
                .ThenBy(l => l.Line ?? 0)
                .ThenBy(l => l.Lambda, StringComparer.Ordinal)
                .ToList(),
            model);
        return (result, context);
    }

    internal static bool HasPatchSites(AssemblyInput input)
        => input.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == PatchableAssemblyAttribute);

    /// <summary>The patch-site format an instrumented build says it has (the marker's third argument), 0 if unreadable.</summary>
    private static int SiteFormatOf(AssemblyInput input)
        => input.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == PatchableAssemblyAttribute && a.ConstructorArguments.Count >= 3)
            .Select(a => a.ConstructorArguments[2].Value is int version ? version : 0)
            .FirstOrDefault();

    /// <summary>
    /// The shape rules (PatchGen.Rules, shared with the analyzer) over both builds' user-written
    /// types; each method present in both then has its IL compared (<see cref="MethodBodyComparer"/>).
    /// </summary>
    private static void CompareTypes(DiffContext context)
        => ShapeRules.ForTwoBuilds(new DiffFindings(context), context.Model).CompareBuilds(
            CecilShapeReader.Read(context.Base.Module, context.BaseRenderer),
            CecilShapeReader.Read(context.New.Module, context.NewRenderer));
}
