using System.Diagnostics;
using System.Reflection;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// A thread's look at its own stack (livepatch's <c>klp_check_stack()</c>, done by the task itself): is
/// anything of <see cref="ChangeSet"/> on it, apart from the function the thread is entering right now?
/// The thread's own stack cannot change while it looks, so the answer is exact but for inlining, which
/// <see cref="InlineKnowledge"/> answers cautiously.
/// </summary>
internal static class StackCheck
{
    private static readonly Assembly Runtime = typeof(StackCheck).Assembly;

    public static bool IsClear(ChangeSet changes, PatchSite entering)
        => FirstInside(changes, entering) is null;

    /// <summary>The first changed function the calling thread is inside (outermost call last), or null.</summary>
    public static PatchSite? FirstInside(ChangeSet changes, PatchSite? entering)
    {
        var frames = new StackTrace(fNeedFileInfo: false).GetFrames();
        int i = 0;
        // The runtime's own frames and the dispatch stub are the entering call, not an activation.
        while (i < frames.Length && frames[i].GetMethod()?.Module.Assembly == Runtime)
            i++;
        if (entering is not null && i < frames.Length && frames[i].GetMethod()?.DeclaringType?.Name == PatchSiteFormat.SitesTypeName)
            i++;
        if (entering is not null && i < frames.Length)
        {
            // The frame that called the stub: the entering method itself (just being entered), or the
            // method its check was inlined into, which must not count as inside it for entering it.
            var method = frames[i].GetMethod();
            if (MethodIdentity.Of(method) != MethodIdentity.Of(entering.Method))
            {
                var site = changes.SiteOf(method) ?? InlineKnowledge.InlinedChange(method, changes, entering);
                if (site is not null)
                {
                    if (Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_STACKCHECK") == "1")
                        File.AppendAllText("/tmp/stackcheck.log", $"entry {method?.DeclaringType?.FullName}.{method?.Name} entering {entering} holds {site} (evidence {InlineKnowledge.Source?.FactsOf(method)?.Evidence}, trees {InlineKnowledge.Source?.FactsOf(method)?.Trees?.Count})\n");
                    return site;
                }
            }
            i++;
        }
        for (; i < frames.Length; i++)
        {
            var method = frames[i].GetMethod();
            var site = changes.SiteOf(method) ?? InlineKnowledge.InlinedChange(method, changes, null);
            if (site is not null)
            {
                if (Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_STACKCHECK") == "1")
                    File.AppendAllText("/tmp/stackcheck.log", $"stackcheck: {method?.DeclaringType?.FullName}.{method?.Name} holds {site} (evidence {InlineKnowledge.Source?.FactsOf(method)?.Evidence})\n");
                return site;
            }
        }
        return null;
    }

    /// <summary>The calling thread's frames outside PatchGen.Runtime, innermost first (for <see cref="ThreadUniverse.Park"/>).</summary>
    public static MethodBase?[] CallerFrames()
    {
        var frames = new StackTrace(fNeedFileInfo: false).GetFrames();
        return frames.Select(f => f.GetMethod()).SkipWhile(m => m?.Module.Assembly == Runtime).ToArray();
    }

    /// <summary>The first changed function among frames recorded earlier (no entry frame), or null.</summary>
    public static PatchSite? FirstInside(IReadOnlyList<MethodBase?> frames, ChangeSet changes)
    {
        foreach (var method in frames)
        {
            if (method is null)
                return changes.Sites.FirstOrDefault(); // cannot be named: not known to be clean
            var site = changes.SiteOf(method) ?? InlineKnowledge.InlinedChange(method, changes, null);
            if (site is not null)
                return site;
        }
        return null;
    }
}
