using System.Reflection;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// The compiled code of this process as the runtime's events describe it: every code version's
/// address range, identity, tier and inlinees; lookup by instruction pointer; resolution to reflection.
/// <para>
/// Thread safe (one lock): the event reader thread adds while patch-time code queries. Adds are cheap
/// (appends); the sorted address index is rebuilt lazily on the first lookup after a change, since
/// lookups happen at patch time and adds happen all the time during warm-up.
/// </para>
/// <para>
/// It holds no strong reference to any <see cref="Module"/> or <see cref="MethodBase"/>: PatchGen loads
/// patches into collectible contexts, and a map that kept them alive would stop them from unloading.
/// </para>
/// </summary>
internal sealed class CodeMap
{
    private readonly object _lock = new();
    private readonly Dictionary<(ulong MethodId, ulong Start), CodeVersion> _byKey = new();
    private readonly Dictionary<uint, List<CodeVersion>> _byToken = new();
    private readonly Dictionary<ulong, ModuleEntry> _modules = new();
    private readonly Dictionary<ulong, AssemblyLoadRecord> _assemblies = new();
    private readonly Dictionary<ulong, CodeVersion> _latestByMethodId = new();
    private readonly Dictionary<string, List<CodeVersion>> _dynamicByName = new(StringComparer.Ordinal);
    // Every live version in address order, brought up to date from what changed when a lookup asks for it.
    private readonly AddressOrder _order = new();
    private long _sequence;

    private int _identifyAttempts;

    /// <summary>How many times a module was searched for among the loaded ones (each search is costly; tests count them).</summary>
    public int IdentifyAttempts => Volatile.Read(ref _identifyAttempts);

    /// <summary>How many code versions the map holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byKey.Count;
            }
        }
    }

    /// <summary>
    /// Records a code version. The same version seen twice (live, then again in a rundown) keeps the
    /// record that knows its inlinees.
    /// </summary>
    public CodeVersion Add(MethodLoadRecord record, CodeVersionSource source, IReadOnlyList<EventMethodName>? inlinees, IReadOnlyList<InlineEdge>? edges = null)
    {
        lock (_lock)
        {
            var key = (record.MethodId, record.StartAddress);
            if (_byKey.TryGetValue(key, out CodeVersion? existing))
            {
                if (existing.InliningKnown || inlinees is null)
                {
                    return existing;
                }

                RemoveLocked(existing);
            }

            var version = new CodeVersion(record, source, inlinees, edges, ++_sequence);
            _byKey[key] = version;
            _latestByMethodId[record.MethodId] = version;
            if (!_byToken.TryGetValue(version.Token, out List<CodeVersion>? list))
            {
                _byToken[version.Token] = list = new List<CodeVersion>();
            }

            list.Add(version);
            if (version.IsDynamic)
            {
                if (!_dynamicByName.TryGetValue(version.Name.Name, out List<CodeVersion>? named))
                {
                    _dynamicByName[version.Name.Name] = named = new List<CodeVersion>();
                }

                named.Add(version);
            }

            _order.Added(version);
            // A process that compiles and frees code without ever taking a snapshot must not keep the freed here.
            if (_order.AddedCount > (2 * _byKey.Count) + 1024)
            {
                _order.PruneAdded(IsLiveLocked);
            }

            if (_modules.TryGetValue(record.ModuleId, out ModuleEntry? module))
            {
                module.News++;
            }

            return version;
        }
    }

    /// <summary>Forgets a code version the runtime freed (MethodUnloadVerbose).</summary>
    public void Remove(MethodLoadRecord record)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue((record.MethodId, record.StartAddress), out CodeVersion? existing))
            {
                RemoveLocked(existing);
            }
        }
    }

    public void AddModule(ModuleLoadRecord record)
    {
        lock (_lock)
        {
            if (!_modules.TryGetValue(record.ModuleId, out ModuleEntry? entry) || entry.Unloaded || entry.PathUnknown)
            {
                _modules[record.ModuleId] = new ModuleEntry(record);
            }
        }
    }

    public void AddAssembly(AssemblyLoadRecord record)
    {
        lock (_lock)
        {
            _assemblies[record.AssemblyId] = record;
            foreach (ModuleEntry module in _modules.Values)
            {
                if (module.Record.AssemblyId == record.AssemblyId)
                {
                    module.News++;
                }
            }
        }
    }

    /// <summary>
    /// A module was unloaded: its code is gone (and its addresses may be reused), and its IDs must never
    /// be turned into handles again.
    /// </summary>
    public void RemoveModule(ulong moduleId)
    {
        lock (_lock)
        {
            if (_modules.TryGetValue(moduleId, out ModuleEntry? entry))
            {
                entry.Unloaded = true;
                entry.Module = null;
            }

            foreach (CodeVersion version in _byKey.Values.Where(v => v.ModuleId == moduleId).ToList())
            {
                RemoveLocked(version);
            }
        }
    }

    /// <summary>The code version of a method compiled last (what a JIT event that follows its load describes).</summary>
    public CodeVersion? LatestVersionOf(ulong methodId)
    {
        lock (_lock)
            return _latestByMethodId.TryGetValue(methodId, out var version) ? version : null;
    }

    /// <summary>
    /// Whether handles of a module may be turned into reflection objects: its assembly is known, not
    /// collectible and not dynamic, so its runtime structures live as long as the process.
    /// </summary>
    public bool IsPermanentModule(ulong moduleId)
    {
        lock (_lock)
        {
            return _modules.TryGetValue(moduleId, out var entry) && !entry.Unloaded
                && _assemblies.TryGetValue(entry.Record.AssemblyId, out var assembly) && !assembly.IsCollectible && !assembly.IsDynamic;
        }
    }

    /// <summary>The runtime's ID of a module this map has identified as <paramref name="module"/>, or 0.</summary>
    public ulong IdOf(Module module)
    {
        lock (_lock)
        {
            foreach (var (id, entry) in _modules)
            {
                if (!entry.Unloaded && entry.Module is not null && entry.Module.TryGetTarget(out var known) && known == module)
                    return id;
            }
        }
        return 0;
    }

    /// <summary>The code version whose code contains <paramref name="ip"/>, or null (native code, stubs, code never reported).</summary>
    public CodeVersion? FindByAddress(ulong ip) => AddressIndex().Find(ip);

    /// <summary>The code as it is now, for many address lookups in a row (<see cref="CodeAddressIndex"/>).</summary>
    public CodeAddressIndex AddressIndex() => new(SortedSnapshot());

    /// <summary>All code versions, in address order.</summary>
    public IReadOnlyList<CodeVersion> Snapshot() => SortedSnapshot();

    /// <summary>
    /// The method a code version is the code of: its definition (for generic code, the generic
    /// definition), or null for dynamic methods, stubs and code whose module cannot be identified.
    /// </summary>
    public MethodBase? Resolve(CodeVersion version)
    {
        if (version.IsDynamic || version.Token == 0 || (version.Token >> 24) != 0x06)
        {
            return null;
        }

        Module? module = ResolveModule(version.ModuleId);
        if (module is null)
        {
            return null;
        }

        try
        {
            return module.ResolveMethod((int)version.Token);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
        {
            return null;
        }
    }

    /// <summary>
    /// The module a runtime ModuleID denotes, learnt from what the events said about it: its path,
    /// its assembly's name, and checking that its tokens name the methods its code versions name. As a
    /// last resort, for modules known not to be collectible, a MethodID is turned into a method handle
    /// (safe there: such method descriptors live as long as the process).
    /// </summary>
    public Module? ResolveModule(ulong moduleId)
    {
        ModuleEntry? entry;
        List<CodeVersion> samples;
        AssemblyLoadRecord? assembly = null;
        long news;
        lock (_lock)
        {
            if (!_modules.TryGetValue(moduleId, out entry))
            {
                entry = new ModuleEntry(new ModuleLoadRecord(moduleId, 0, 0, string.Empty, string.Empty)) { PathUnknown = true };
                _modules[moduleId] = entry;
            }

            if (entry.Unloaded)
            {
                return null;
            }

            if (entry.Module is not null && entry.Module.TryGetTarget(out Module? known))
            {
                return known;
            }

            // A module that could not be identified (loaded from a stream, a test runner's) is looked for
            // again only once the events have said something new about it: every lookup by token meets
            // the versions of every module, one certification round makes hundreds, and each search scans
            // the whole map under this lock and every loaded module (in a large test process that made
            // rounds take seconds). Null is the cautious answer: callers then match by name.
            if (entry.UnidentifiedAt == entry.News)
            {
                return null;
            }

            news = entry.News;

            if (_assemblies.TryGetValue(entry.Record.AssemblyId, out AssemblyLoadRecord a))
            {
                assembly = a;
            }

            samples = _byKey.Values.Where(v => v.ModuleId == moduleId && !v.IsDynamic && (v.Token >> 24) == 0x06).Take(8).ToList();
        }

        Interlocked.Increment(ref _identifyAttempts);
        Module? found = Identify(entry, assembly, samples);
        lock (_lock)
        {
            if (found is null)
            {
                entry.UnidentifiedAt = news;
            }
            else if (!entry.Unloaded)
            {
                entry.Module = new WeakReference<Module>(found);
            }
        }

        return found;
    }

    /// <summary>All known code versions of a method (every tier and instantiation) and what they inlined.</summary>
    public MethodCodeInfo GetMethodCode(MethodBase method)
    {
        ArgumentNullException.ThrowIfNull(method);
        List<CodeVersion> candidates;
        lock (_lock)
        {
            candidates = _byToken.TryGetValue((uint)method.MetadataToken, out List<CodeVersion>? list) ? list.ToList() : new List<CodeVersion>();
        }

        var versions = new List<CodeVersion>();
        foreach (CodeVersion version in candidates)
        {
            Module? module = ResolveModule(version.ModuleId);

            // An unidentified module is matched by name: more versions rather than fewer.
            if (module is null ? MethodNameMatcher.Matches(version.Name, method) : module.Equals(method.Module))
            {
                versions.Add(version);
            }
        }

        var inlinees = new HashSet<EventMethodName>();
        bool complete = true;
        foreach (CodeVersion version in versions)
        {
            if (version.Inlinees is null)
            {
                complete = false;
                continue;
            }

            inlinees.UnionWith(version.Inlinees);
        }

        return new MethodCodeInfo(method, versions, inlinees.ToList(), complete);
    }

    /// <summary>
    /// The code versions of dynamic methods (DynamicMethod, stubs) the runtime named <paramref name="name"/>
    /// that are live as far as the events have told. A dynamic method has no token to look it up by, and
    /// nothing ties a <see cref="System.Reflection.Emit.DynamicMethod"/> to its MethodID; its name is all,
    /// and names repeat: callers must treat more than one version as not knowing which one is meant.
    /// </summary>
    public IReadOnlyList<CodeVersion> DynamicVersionsNamed(string name)
    {
        lock (_lock)
        {
            return _dynamicByName.TryGetValue(name, out List<CodeVersion>? named) ? named.ToArray() : [];
        }
    }

    /// <summary>The code versions that contain (or, not knowing their inlinees, may contain) <paramref name="inlinee"/> inlined.</summary>
    public InlinerQuery FindInliners(MethodBase inlinee)
    {
        ArgumentNullException.ThrowIfNull(inlinee);
        var inliners = new List<CodeVersion>();
        var unknown = new List<CodeVersion>();
        foreach (CodeVersion version in SortedSnapshot())
        {
            if (version.Inlinees is null)
            {
                unknown.Add(version);
            }
            else if (version.Inlinees.Any(name => MethodNameMatcher.Matches(name, inlinee)))
            {
                inliners.Add(version);
            }
        }

        return new InlinerQuery(inliners, unknown);
    }

    private CodeVersion[] SortedSnapshot()
    {
        lock (_lock)
        {
            return _order.Current(IsLiveLocked, RemoveIndexesLocked);
        }
    }

    private bool IsLiveLocked(CodeVersion version)
        => _byKey.TryGetValue((version.MethodId, version.StartAddress), out CodeVersion? current) && ReferenceEquals(current, version);

    private void RemoveLocked(CodeVersion version)
    {
        _order.Removed(version);
        if (_latestByMethodId.TryGetValue(version.MethodId, out var latest) && latest == version)
            _latestByMethodId.Remove(version.MethodId);
        RemoveIndexesLocked(version);
    }

    private void RemoveIndexesLocked(CodeVersion version)
    {
        _byKey.Remove((version.MethodId, version.StartAddress));
        if (_byToken.TryGetValue(version.Token, out List<CodeVersion>? list))
        {
            list.Remove(version);
        }

        if (version.IsDynamic && _dynamicByName.TryGetValue(version.Name.Name, out List<CodeVersion>? named))
        {
            named.Remove(version);
            if (named.Count == 0)
            {
                _dynamicByName.Remove(version.Name.Name);
            }
        }
    }

    private static Module? Identify(ModuleEntry entry, AssemblyLoadRecord? assembly, List<CodeVersion> samples)
    {
        IEnumerable<Module> loaded = AppDomain.CurrentDomain.GetAssemblies().SelectMany(SafeModules);
        string path = entry.Record.ILPath;
        List<Module> candidates;
        if (path.Length > 0)
        {
            StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            candidates = loaded.Where(m => string.Equals(SafeLocation(m), path, comparison)).ToList();
            if (candidates.Count == 0)
            {
                // A module loaded from a stream reports a name, not a file: go by tokens below.
                candidates = loaded.Where(m => SafeLocation(m).Length == 0).ToList();
                path = string.Empty;
            }
        }
        else
        {
            // Loaded from a stream or emitted: no path to go by (or the module's load event was not
            // seen); the assembly name and the tokens decide.
            candidates = loaded.Where(m => entry.PathUnknown || SafeLocation(m).Length == 0).ToList();
        }

        if (assembly is { } a && candidates.Count > 1)
        {
            List<Module> named = candidates.Where(m => m.Assembly.FullName == a.FullName).ToList();
            if (named.Count > 0)
            {
                candidates = named;
            }
        }

        // The same file can be loaded into several load contexts; a token check tells them apart only
        // when their code differs, so ambiguity that remains stays unresolved (null), never a guess.
        if (candidates.Count > 1 || path.Length == 0)
        {
            // Without a path, a single candidate is not enough: the module must be shown to be it.
            candidates = samples.Count == 0 ? [] : candidates.Where(m => samples.All(v => TokenNames(m, v))).ToList();
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        if (candidates.Count == 0 && assembly is { IsCollectible: false, IsDynamic: false })
        {
            return FromMethodHandle(samples);
        }

        return null;
    }

    private static bool TokenNames(Module module, CodeVersion version)
    {
        try
        {
            MethodBase? method = module.ResolveMethod((int)version.Token);
            return method is not null && MethodNameMatcher.Matches(version.Name, method);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
        {
            return false;
        }
    }

    private static Module? FromMethodHandle(List<CodeVersion> samples)
    {
        foreach (CodeVersion version in samples)
        {
            try
            {
                MethodBase? method = MethodBase.GetMethodFromHandle(RuntimeMethodHandle.FromIntPtr((nint)version.MethodId));
                if (method is not null && (uint)method.MetadataToken == version.Token && MethodNameMatcher.Matches(version.Name, method))
                {
                    return method.Module;
                }
            }
            catch (ArgumentException)
            {
                // A method of a generic type needs its type handle as well; try another sample.
            }
        }

        return null;
    }

    private static IEnumerable<Module> SafeModules(Assembly assembly)
    {
        try
        {
            return assembly.GetModules();
        }
        catch (Exception e) when (e is NotSupportedException or FileNotFoundException)
        {
            return [];
        }
    }

    private static string SafeLocation(Module module)
    {
        try
        {
            return module.Assembly.IsDynamic ? string.Empty : module.Assembly.Location;
        }
        catch (NotSupportedException)
        {
            return string.Empty;
        }
    }

    private sealed class ModuleEntry(ModuleLoadRecord record)
    {
        public ModuleLoadRecord Record { get; } = record;

        public WeakReference<Module>? Module { get; set; }

        public bool Unloaded { get; set; }

        /// <summary>No ModuleLoad/ModuleDCEnd was seen for it (yet): any loaded module may be it.</summary>
        public bool PathUnknown { get; init; }

        /// <summary>Counts what the events said about the module since the entry was made (its code versions, its assembly).</summary>
        public long News { get; set; }

        /// <summary>The <see cref="News"/> the last failed attempt to identify it knew (-1: none failed).</summary>
        public long UnidentifiedAt { get; set; } = -1;
    }
}
