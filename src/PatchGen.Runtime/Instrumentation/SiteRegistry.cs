using System.Reflection;
using System.Runtime.CompilerServices;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// Every instrumented assembly loaded in the process, each with its own range of global site keys, so
/// that one shadow stack can hold frames of many assemblies as plain integers.
/// </summary>
internal static class SiteRegistry
{
    private static readonly object Lock = new();
    private static readonly List<InstrumentedAssembly> Assemblies = new();
    private static int s_nextKey;

    public static int Register(Type sitesType, int siteCount)
    {
        lock (Lock)
        {
            foreach (var known in Assemblies)
            {
                if (known.SitesType == sitesType)
                    return known.BaseKey;
            }
            var assembly = new InstrumentedAssembly(sitesType, s_nextKey, siteCount);
            s_nextKey = checked(s_nextKey + siteCount);
            Assemblies.Add(assembly);
            return assembly.BaseKey;
        }
    }

    /// <summary>One past the largest key handed out: the size a function-set bitmap needs.</summary>
    public static int KeyLimit
    {
        get { lock (Lock) return s_nextKey; }
    }

    /// <summary>The registration of an instrumented assembly, running its site table's static constructor if it has not run yet.</summary>
    public static InstrumentedAssembly? For(Assembly assembly)
    {
        lock (Lock)
        {
            var known = Assemblies.FirstOrDefault(a => a.Assembly == assembly);
            if (known is not null)
                return known;
        }
        var sitesType = assembly.GetType(InstrumentedAssembly.SitesTypeName, throwOnError: false);
        if (sitesType is null)
            return null;
        RuntimeHelpers.RunClassConstructor(sitesType.TypeHandle);
        lock (Lock)
            return Assemblies.FirstOrDefault(a => a.SitesType == sitesType);
    }

    /// <summary>The assembly and site of a global key, for reports.</summary>
    public static (InstrumentedAssembly Assembly, int Site)? Find(int key)
    {
        lock (Lock)
        {
            foreach (var assembly in Assemblies)
            {
                if (key >= assembly.BaseKey && key < assembly.BaseKey + assembly.SiteCount)
                    return (assembly, key - assembly.BaseKey);
            }
        }
        return null;
    }
}
