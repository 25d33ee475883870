using System.Reflection;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// An instrumented assembly a patch has targeted: its site table, the <see cref="PatchSite"/> of each
/// function that has ever been patched, and the engine that drives them. Created on first use by
/// <see cref="SiteRegistry"/>; nothing about an assembly is registered while nothing patches it.
/// <para>
/// Process-wide: the slots and the table are static fields of the assembly's own types, so there is one
/// of each per process, whatever engines exist. The first engine that patches the assembly claims it
/// (<see cref="Claim"/>) for the life of the process, and only that engine ever publishes versions or sets
/// slots of its sites: a site's versions are numbered by one engine's generations, and the threads that
/// dispatch through it ask that engine which generation they run (<see cref="PatchSite.Target"/>). Two
/// engines driving one site would each certify transitions against threads judged by the other's numbers.
/// </para>
/// </summary>
internal sealed class InstrumentedAssembly
{
    private readonly PatchSite?[] _sites;
    private PatchEngine? _engine;

    public InstrumentedAssembly(Assembly assembly, Type sitesType, int siteCount, int formatVersion)
    {
        Assembly = assembly;
        FormatVersion = formatVersion;
        SitesType = sitesType;
        SiteCount = siteCount;
        Name = assembly.GetName().Name ?? "?";
        _sites = new PatchSite?[siteCount];
        // The stubs find sites through this table; it is in place before any slot is set.
        var table = sitesType.GetField(PatchSiteFormat.TableFieldName, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{Name}: the site table has no {PatchSiteFormat.TableFieldName} field");
        table.SetValue(null, _sites);
    }

    public Assembly Assembly { get; }

    public Type SitesType { get; }

    public int SiteCount { get; }

    /// <summary>The patch-site format of the assembly (<see cref="PatchSiteFormat.InlineClonesVersion"/> when it may have inline clones, <see cref="PatchSiteFormat.Version"/> when it has outlined bodies too).</summary>
    public int FormatVersion { get; }

    public string Name { get; }

    /// <summary>The engine that drives this assembly's sites; null until a patch of it is enabled.</summary>
    public PatchEngine? Engine => Volatile.Read(ref _engine);

    /// <summary>
    /// Makes <paramref name="engine"/> the one that drives this assembly's sites, for good; false when
    /// another engine already does. An engine claims before it publishes anything for the assembly, so a
    /// thread that finds a slot set finds the engine too.
    /// </summary>
    public bool Claim(PatchEngine engine)
    {
        var owner = Interlocked.CompareExchange(ref _engine, engine, null);
        return owner is null || owner == engine;
    }

    /// <summary>The site of <paramref name="method"/>, created on first use; null when the method has no site.</summary>
    public PatchSite? SiteOf(MethodBase method)
    {
        var slot = SlotOf(method);
        if (slot is null)
            return null;
        int number = PatchSiteFormat.SiteOfSlot(slot.Name);
        if (number < 0 || number >= SiteCount)
            return null;
        lock (_sites)
        {
            var site = _sites[number];
            if (site is null)
            {
                site = new PatchSite(this, number, method, slot);
                // Published through the array the stubs read; a stub only runs once the slot is set,
                // which happens after this store (and the engine's barrier) in every transition.
                Volatile.Write(ref _sites[number], site);
            }
            return site;
        }
    }

    /// <summary>
    /// The slot an instrumented method checks on entry: its body starts with <c>ldsfld</c> of a field of
    /// the site table (docs/patch-sites.md). Reading it from the IL needs no attribute on the method.
    /// </summary>
    private FieldInfo? SlotOf(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException) { return null; }
        if (il is null || il.Length < 5 || il[0] != 0x7E) // ldsfld <token>
            return null;
        int token = BitConverter.ToInt32(il, 1);
        FieldInfo? field;
        try { field = method.Module.ResolveField(token); }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException) { return null; }
        return field?.DeclaringType == SitesType ? field : null;
    }
}
