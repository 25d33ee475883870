using System.Reflection;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// The instrumented assemblies patches have targeted, found by their site table. Process-wide, as the
/// assemblies and their slots are: every engine finds the same <see cref="InstrumentedAssembly"/> here, and
/// the one that claims it drives its sites (<see cref="InstrumentedAssembly.Claim"/>).
/// </summary>
internal static class SiteRegistry
{
    private static readonly object Lock = new();
    private static readonly List<InstrumentedAssembly> Assemblies = new();

    /// <summary>The registration of an instrumented assembly, or null when it has no site table of the current format.</summary>
    public static InstrumentedAssembly? For(Assembly assembly)
    {
        lock (Lock)
        {
            foreach (var known in Assemblies)
            {
                if (known.Assembly == assembly)
                    return known;
            }
            var marker = assembly.GetCustomAttribute<PatchableAssemblyAttribute>();
            var sitesType = assembly.GetType(PatchSiteFormat.SitesTypeName, throwOnError: false);
            if (marker is null || !PatchSiteFormat.Reads(marker.FormatVersion) || sitesType is null)
                return null;
            var registered = new InstrumentedAssembly(assembly, sitesType, marker.SiteCount, marker.FormatVersion);
            Assemblies.Add(registered);
            return registered;
        }
    }
}
