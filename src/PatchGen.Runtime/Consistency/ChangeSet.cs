using System.Reflection;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The functions whose version differs between a generation and a later one, and every piece of code
/// that counts as "being inside" one of them: the instrumented method itself, its inline clone, every patch's
/// replacement and copy of the original for it, and (through <see cref="InlineKnowledge"/>) any code the JIT
/// inlined the method or its clone into. A thread may move across the range only when none of it is on its stack.
/// </summary>
internal sealed class ChangeSet
{
    public static readonly ChangeSet None = new(0, new HashSet<PatchSite>(), new Dictionary<MethodIdentity, PatchSite>(), new Dictionary<string, PatchSite>(StringComparer.Ordinal));

    private Dictionary<int, PatchSite>? _tokens;

    /// <summary>
    /// The metadata tokens of the instrumented methods of the changed functions and of their inline clones: how inline trees name an
    /// inlined method. Matching a token in any module is cautious: at worst another module's method with
    /// the same token counts as changed too.
    /// </summary>
    public Dictionary<int, PatchSite> Tokens
    {
        get
        {
            if (_tokens is null)
            {
                var tokens = new Dictionary<int, PatchSite>();
                foreach (var site in Sites)
                {
                    tokens.TryAdd(site.Method.MetadataToken, site);
                    if (site.Clone is { } clone)
                        tokens.TryAdd(clone.MetadataToken, site);
                }
                _tokens = tokens;
            }
            return _tokens;
        }
    }

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

    /// <summary>Name keys (<see cref="MethodIdentity.NameKey(MethodBase)"/>) of the instrumented methods (for inlinees) and of their replacements and copies (for code whose module cannot be named).</summary>
    public Dictionary<string, PatchSite> InlineeNames { get; }

    public bool IsEmpty => Sites.Count == 0;

    private Dictionary<ulong, PatchSite>? _handles;

    /// <summary>
    /// The runtime's MethodDesc of every non-generic implementation of a changed function (the method,
    /// every replacement and copy of the original): how a stack snapshot's frame is matched when its
    /// module cannot be named, as for a patch loaded from memory.
    /// </summary>
    public Dictionary<ulong, PatchSite> Handles => _handles ??= BuildHandles();

    private Dictionary<ulong, PatchSite> BuildHandles()
    {
        var handles = new Dictionary<ulong, PatchSite>();
        foreach (var site in Sites)
        {
            foreach (var method in Implementations.TryGetValue(site, out var list) ? list : new List<MethodBase> { site.Method })
            {
                if (!method.ContainsGenericParameters)
                    handles.TryAdd((ulong)method.MethodHandle.Value, site);
            }
        }
        return handles;
    }

    /// <summary>Every implementation of each changed function (the method itself first).</summary>
    public Dictionary<PatchSite, List<MethodBase>> Implementations { get; } = new();

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
        var union = new ChangeSet(sets.Max(s => s.UpTo), sites, code, names);
        foreach (var set in sets)
        {
            foreach (var (site, methods) in set.Implementations)
            {
                if (!union.Implementations.TryGetValue(site, out var list))
                    union.Implementations[site] = list = new List<MethodBase>();
                list.AddRange(methods.Where(m => !list.Contains(m)));
            }
            sites.UnionWith(set.Sites);
            foreach (var (identity, site) in set.Code)
                code.TryAdd(identity, site);
            foreach (var (name, site) in set.InlineeNames)
                names.TryAdd(name, site);
        }
        return union;
    }

    /// <summary>The set of one generation: these sites, with every implementation they have had in it.</summary>
    public static ChangeSet For(long generation, IEnumerable<(PatchSite Site, IEnumerable<SiteEntry?> Entries)> changed)
    {
        var sites = new HashSet<PatchSite>();
        var code = new Dictionary<MethodIdentity, PatchSite>();
        var names = new Dictionary<string, PatchSite>(StringComparer.Ordinal);
        var implementations = new Dictionary<PatchSite, List<MethodBase>>();
        foreach (var (site, entries) in changed)
        {
            sites.Add(site);
            if (MethodIdentity.Of(site.Method) is { } own)
                code.TryAdd(own, site);
            names.TryAdd(MethodIdentity.NameKey(site.Method), site);
            var methods = new List<MethodBase> { site.Method };
            // Its inline clone is its old body too. A caller that runs the clone is a function of the patch, but its
            // frame is gone where the JIT made that call a tail call: the clone's own frame must hold the thread.
            if (site.Clone is { } clone)
            {
                if (MethodIdentity.Of(clone) is { } cloneIdentity)
                    code.TryAdd(cloneIdentity, site);
                names.TryAdd(MethodIdentity.NameKey(clone), site);
                methods.Add(clone);
            }
            foreach (var entry in entries)
            {
                if (entry is null)
                    continue;
                if (MethodIdentity.Of(entry.Method) is { } identity)
                    code.TryAdd(identity, site);
                // Also by name: a snapshot names the code of a patch loaded from memory only that way.
                names.TryAdd(MethodIdentity.NameKey(entry.Method), site);
                if (!methods.Contains(entry.Method))
                    methods.Add(entry.Method);
            }
            implementations[site] = methods;
        }
        var set = new ChangeSet(generation, sites, code, names);
        foreach (var (site, methods) in implementations)
            set.Implementations[site] = methods;
        return set;
    }
}
