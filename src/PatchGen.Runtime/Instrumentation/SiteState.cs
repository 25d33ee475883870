namespace PatchGen.Runtime.Instrumentation;

/// <summary>One implementation of a function and the first generation it belongs to.</summary>
/// <param name="Since">The generation from which threads run <paramref name="Entry"/>.</param>
/// <param name="Entry">The implementation; null for the method's own body (only when the function is no longer patched).</param>
internal readonly record struct SiteVersion(long Since, SiteEntry? Entry);

/// <summary>
/// An immutable picture of one function's implementations by generation (docs/consistency-model.md).
/// While a transition that changes the function is not yet certified, threads in different
/// generations may run different versions, each picking the last version whose generation is not
/// after its own. Once certified, a single version remains and the state is <see cref="Steady"/>: every
/// thread runs it, and the dispatch path does not look at the thread at all.
/// </summary>
internal sealed class SiteState
{
    private SiteState(SiteVersion[] versions, bool steady, IntPtr steadyPointer)
    {
        Versions = versions;
        Steady = steady;
        SteadyPointer = steadyPointer;
    }

    /// <summary>Ascending by generation; the first one is where every older generation falls too.</summary>
    public SiteVersion[] Versions { get; }

    /// <summary>Every thread runs the last version, whatever its generation.</summary>
    public bool Steady { get; }

    /// <summary>For a steady non-generic state: the code every thread runs.</summary>
    public IntPtr SteadyPointer { get; }

    public SiteEntry? Top => Versions[^1].Entry;

    /// <summary>A single version every thread runs; <paramref name="ownBody"/> is the method's own entry point, run when <paramref name="entry"/> is null.</summary>
    public static SiteState SteadyOn(SiteEntry? entry, IntPtr ownBody)
        => new(new[] { new SiteVersion(long.MinValue, entry) }, steady: true, entry is null ? ownBody : entry.Pointer);

    /// <summary>The versions of a transition in progress.</summary>
    public static SiteState InTransition(SiteVersion[] versions) => new(versions, steady: false, IntPtr.Zero);

    /// <summary>The implementation a thread of <paramref name="generation"/> runs.</summary>
    public SiteEntry? EntryAt(long generation)
    {
        var versions = Versions;
        for (int i = versions.Length - 1; i > 0; i--)
        {
            if (versions[i].Since <= generation)
                return versions[i].Entry;
        }
        return versions[0].Entry;
    }

    /// <summary>This state with one more version, from <paramref name="generation"/> on.</summary>
    public SiteState With(long generation, SiteEntry? entry)
    {
        var versions = new SiteVersion[Versions.Length + 1];
        Array.Copy(Versions, versions, Versions.Length);
        versions[^1] = new SiteVersion(generation, entry);
        return InTransition(versions);
    }
}
