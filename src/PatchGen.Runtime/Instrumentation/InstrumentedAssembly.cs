using System.Reflection;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// An instrumented assembly a patch has targeted: its site table, and the <see cref="PatchSite"/> of each
/// function that has ever been patched. Created on first use by <see cref="SiteRegistry"/>; nothing about
/// an assembly is registered while nothing patches it.
/// </summary>
internal sealed class InstrumentedAssembly
{
    private readonly PatchSite?[] _sites;

    public InstrumentedAssembly(Assembly assembly, Type sitesType, int siteCount)
    {
        Assembly = assembly;
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

    public string Name { get; }

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
