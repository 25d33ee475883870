using System.ComponentModel;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>Called by the static constructor of an instrumented assembly's <c>&lt;PatchGen&gt;Sites</c> type.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PatchSites
{
    /// <summary>Registers an instrumented assembly's site table; returns the global key of its site 0.</summary>
    public static int RegisterAssembly(RuntimeTypeHandle sitesType, int siteCount)
        => SiteRegistry.Register(Type.GetTypeFromHandle(sitesType)!, siteCount);
}
