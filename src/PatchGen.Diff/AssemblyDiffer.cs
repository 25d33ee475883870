using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// The diff engine's entry point: compares a base build with a new build of the same assembly and
/// classifies every change under the simple model (the catalogue of docs/diagnostics.md).
/// </summary>
public static class AssemblyDiffer
{
    /// <summary>The assembly attribute that <c>patchgen instrument</c> leaves in a patchable build.</summary>
    internal const string PatchableAssemblyAttribute = "PatchGen.Runtime.PatchableAssemblyAttribute";

    /// <summary>
    /// Compares two builds. Input problems (missing, unreadable or corrupt files, different
    /// assemblies) throw a <see cref="PatchGenException"/> carrying PG0001 or PG0002.
    /// </summary>
    public static DiffResult Compare(string basePath, string newPath) => Compare(basePath, newPath, SourcePathOptions.Default);

    /// <summary>As <see cref="Compare(string, string)"/>, with source files read and named as <paramref name="paths"/> says.</summary>
    public static DiffResult Compare(string basePath, string newPath, SourcePathOptions paths)
    {
        using var @base = AssemblyInput.Load(basePath);
        using var @new = AssemblyInput.Load(newPath);
        return Compare(@base, @new, paths).Result;
    }

    internal static (DiffResult Result, DiffContext Context) Compare(AssemblyInput @base, AssemblyInput @new, SourcePathOptions? paths = null)
    {
        if (!string.Equals(@base.Name, @new.Name, StringComparison.Ordinal))
            throw new PatchGenException(PatchDiagnostic.Create(DiagnosticCatalog.AssemblyNameMismatch, null, null, @new.Path, @new.Name, @base.Name));

        var context = new DiffContext(@base, @new, paths);
        foreach (var input in new[] { @base, @new })
        {
            if (!input.HasSymbols)
                context.Report(DiagnosticCatalog.NoSymbols, null, null, input.Path);
        }

        bool hasPatchSites = HasPatchSites(@base);
        if (hasPatchSites)
            context.BaseSites = InstrumentationView.ReadSites(@base.Module);
        // The production build is usually the instrumented one; compare what it was built from.
        foreach (var input in new[] { @base, @new })
        {
            if (HasPatchSites(input))
                InstrumentationView.Restore(input.Module);
        }
        if (!hasPatchSites)
            context.Report(PatchDiagnostic.Create(DiagnosticCatalog.BaseNotPatchable, null, null, @base.Path).WithSeverity(DiagnosticSeverity.Warning));

        CompareTypes(context);
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
                .ToList());
        return (result, context);
    }

    internal static bool HasPatchSites(AssemblyInput input)
        => input.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == PatchableAssemblyAttribute);

    private static void CompareTypes(DiffContext context)
    {
        var baseTypes = UserTypes(context.Base.Module);
        var newTypes = UserTypes(context.New.Module);

        foreach (var (name, baseType) in baseTypes)
        {
            if (newTypes.TryGetValue(name, out var newType))
            {
                TypeComparer.Compare(context, baseType, newType);
                continue;
            }
            // Report only the outermost removed type: its nested types go with it.
            if (baseType.DeclaringType != null && !newTypes.ContainsKey(baseType.DeclaringType.FullName))
                continue;
            if (FindArityChange(baseType, newTypes) is { } renamed)
            {
                context.Report(DiagnosticCatalog.GenericsChanged, DocumentationId.ForType(baseType), context.NewSource.ForDeclaration(renamed),
                    CSharpName.Type(baseType), "arity");
                context.Change(DocumentationId.ForType(baseType), ChangeKind.Changed);
                continue;
            }
            var id = DocumentationId.ForType(baseType);
            context.Report(DiagnosticCatalog.MemberRemoved, id, context.BaseSource.ForDeclaration(baseType), "type " + CSharpName.Type(baseType));
            context.Change(id, ChangeKind.Removed);
        }

        foreach (var (name, newType) in newTypes)
        {
            if (baseTypes.ContainsKey(name))
                continue;
            if (newType.DeclaringType != null && !baseTypes.ContainsKey(newType.DeclaringType.FullName))
                continue;
            if (FindArityChange(newType, baseTypes) is not null)
                continue;
            var id = DocumentationId.ForType(newType);
            context.Report(DiagnosticCatalog.MemberAdded, id, context.NewSource.ForDeclaration(newType), "type " + CSharpName.Type(newType));
            context.Change(id, ChangeKind.Added);
        }
    }

    /// <summary>A type of the same name and nesting but another generic arity (<c>Box`1</c> became <c>Box`2</c>).</summary>
    private static TypeDefinition? FindArityChange(TypeDefinition type, SortedDictionary<string, TypeDefinition> others)
    {
        var (name, _) = DocumentationId.SplitArity(type.Name);
        foreach (var other in others.Values)
        {
            if (other.Namespace == type.Namespace
                && DocumentationId.SplitArity(other.Name).Name == name
                && other.Name != type.Name
                && other.DeclaringType?.FullName == type.DeclaringType?.FullName
                && !others.ContainsKey(type.FullName))
                return other;
        }
        return null;
    }

    private static SortedDictionary<string, TypeDefinition> UserTypes(ModuleDefinition module)
    {
        var types = new SortedDictionary<string, TypeDefinition>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            if (GeneratedCode.IsUserType(type))
                types[type.FullName] = type;
        }
        return types;
    }
}
