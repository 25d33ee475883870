using System.Reflection;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>An instrumented assembly known to the runtime: its site table and its range of global site keys.</summary>
internal sealed class InstrumentedAssembly
{
    public const string SitesTypeName = "<PatchGen>Sites";
    private readonly PatchSite?[] _sites;
    private Dictionary<int, MethodBase>? _methods;

    public InstrumentedAssembly(Type sitesType, int baseKey, int siteCount)
    {
        SitesType = sitesType;
        Assembly = sitesType.Assembly;
        BaseKey = baseKey;
        SiteCount = siteCount;
        _sites = new PatchSite?[siteCount];
    }

    public Assembly Assembly { get; }

    public Type SitesType { get; }

    public int BaseKey { get; }

    public int SiteCount { get; }

    /// <summary>The runtime object for site <paramref name="site"/>, created on first use (under the engine's gate).</summary>
    public PatchSite GetOrCreateSite(int site)
        => _sites[site] ??= new PatchSite(BaseKey + site, this, site);

    /// <summary>Whether the site table has a slot for <paramref name="site"/> (checked before anything changes).</summary>
    public bool HasSlot(int site)
        => site >= 0 && site < SiteCount && SlotField(site) is not null;

    private FieldInfo? SlotField(int site)
        => SitesType.GetField("s" + site.ToString(System.Globalization.CultureInfo.InvariantCulture), BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);

    /// <summary>Points the instrumented code's slot for <paramref name="site"/> at the site object, or at null.</summary>
    public void SetSlot(PatchSite site, bool patched)
    {
        var field = SlotField(site.Site)
            ?? throw new InvalidOperationException($"{Assembly.GetName().Name}: site table has no slot s{site.Site}");
        field.SetValue(null, patched ? site : null);
    }

    /// <summary>The method carrying site <paramref name="site"/>, for reports; found by scanning once.</summary>
    public MethodBase? MethodOf(int site)
    {
        var methods = Volatile.Read(ref _methods);
        if (methods is null)
        {
            methods = new Dictionary<int, MethodBase>();
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            Type[] types;
            try { types = Assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
            foreach (var type in types)
            {
                foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                {
                    var attribute = method.GetCustomAttribute<PatchSiteAttribute>();
                    if (attribute is not null)
                        methods[attribute.Site] = method;
                }
            }
            Volatile.Write(ref _methods, methods);
        }
        return methods.TryGetValue(site, out var found) ? found : null;
    }
}
