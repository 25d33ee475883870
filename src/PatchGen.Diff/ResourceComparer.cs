using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>Manifest resources (PG2007): the live process keeps the ones it loaded with the assembly.</summary>
internal static class ResourceComparer
{
    public static void Compare(DiffContext context)
    {
        var before = Index(context.Base.Module);
        var after = Index(context.New.Module);
        foreach (var (name, content) in before)
        {
            if (!after.TryGetValue(name, out var newContent))
                context.Report(DiagnosticCatalog.ResourcesChanged, null, null, name, "removed");
            else if (!content.AsSpan().SequenceEqual(newContent))
                context.Report(DiagnosticCatalog.ResourcesChanged, null, null, name, "changed");
        }
        foreach (var name in after.Keys)
        {
            if (!before.ContainsKey(name))
                context.Report(DiagnosticCatalog.ResourcesChanged, null, null, name, "added");
        }
    }

    private static SortedDictionary<string, byte[]> Index(ModuleDefinition module)
    {
        var index = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in module.Resources)
        {
            index[resource.Name] = resource switch
            {
                EmbeddedResource embedded => embedded.GetResourceData(),
                LinkedResource linked => System.Text.Encoding.UTF8.GetBytes("file:" + linked.File),
                AssemblyLinkedResource assembly => System.Text.Encoding.UTF8.GetBytes("assembly:" + assembly.Assembly.FullName),
                _ => Array.Empty<byte>(),
            };
        }
        return index;
    }
}
