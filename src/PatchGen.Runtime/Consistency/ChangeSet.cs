using System.Reflection;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The functions whose version differs between a generation and a later one, and every piece of code
/// that counts as "being inside" one of them: the instrumented method itself, every patch's replacement
/// and copy of the original for it, and (through <see cref="InlineKnowledge"/>) any code the JIT inlined
/// the method into. A thread may move across the range only when none of it is on its stack.
/// </summary>
internal sealed class ChangeSet
{
    public static readonly ChangeSet None = new(0, new HashSet<PatchSite>(), new Dictionary<MethodIdentity, PatchSite>(), new Dictionary<string, PatchSite>(StringComparer.Ordinal));

    public ChangeSet(long upTo, HashSet<PatchSite> sites, Dictionary<MethodIdentity, PatchSite> code, Dictionary<string, PatchSite> inlineeNames)
    {
        UpTo = upTo;
        Sites = sites;
        Code = code;
        InlineeNames = inlineeNames;
    }

    /// <summary>The newest generation the set covers.</summary>
    public long UpTo { get; }

    public HashSet<PatchSite> Sites { get; }

    /// <summary>Methods whose frames are inside a changed function, and which function.</summary>
    public Dictionary<MethodIdentity, PatchSite> Code { get; }

    /// <summary>Name keys (<see cref="MethodIdentity.NameKey(MethodBase)"/>) of the instrumented methods, for inlinees.</summary>
    public Dictionary<string, PatchSite> InlineeNames { get; }

    public bool IsEmpty => Sites.Count == 0;

    /// <summary>The changed function a frame of <paramref name="method"/> is inside by being it (not by inlining), if any.</summary>
    public PatchSite? SiteOf(MethodBase? method)
        => MethodIdentity.Of(method) is { } identity && Code.TryGetValue(identity, out var site) ? site : null;

    /// <summary>The union of several sets (consecutive generations), covering up to the newest.</summary>
    public static ChangeSet Union(IReadOnlyList<ChangeSet> sets)
    {
        if (sets.Count == 0)
            return None;
        if (sets.Count == 1)
            return sets[0];
        var sites = new HashSet<PatchSite>();
        var code = new Dictionary<MethodIdentity, PatchSite>();
        var names = new Dictionary<string, PatchSite>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            sites.UnionWith(set.Sites);
            foreach (var (identity, site) in set.Code)
                code.TryAdd(identity, site);
            foreach (var (name, site) in set.InlineeNames)
                names.TryAdd(name, site);
        }
        return new ChangeSet(sets.Max(s => s.UpTo), sites, code, names);
    }

    /// <summary>The set of one generation: these sites, with every implementation they have had in it.</summary>
    public static ChangeSet For(long generation, IEnumerable<(PatchSite Site, IEnumerable<SiteEntry?> Entries)> changed)
    {
        var sites = new HashSet<PatchSite>();
        var code = new Dictionary<MethodIdentity, PatchSite>();
        var names = new Dictionary<string, PatchSite>(StringComparer.Ordinal);
        foreach (var (site, entries) in changed)
        {
            sites.Add(site);
            if (MethodIdentity.Of(site.Method) is { } own)
                code.TryAdd(own, site);
            names.TryAdd(MethodIdentity.NameKey(site.Method), site);
            foreach (var entry in entries)
            {
                if (entry is not null && MethodIdentity.Of(entry.Method) is { } identity)
                    code.TryAdd(identity, site);
            }
        }
        return new ChangeSet(generation, sites, code, names);
    }
}
