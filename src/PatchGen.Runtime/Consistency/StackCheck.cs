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

    /// <summary>
    /// Whether nothing of <paramref name="changes"/> is on the calling thread's stack (but the call it is
    /// entering). Where the answer rests on the JIT's record of inlining, the record is first brought up to
    /// date with the code on this stack (<see cref="IInlineSource.CatchUp"/>, at most a flush of the
    /// runtime's events, about 100 ms) and the stack looked at again; without that (or when the caller may not
    /// wait for it, <paramref name="mayCatchUp"/>), not clear.
    /// </summary>
    public static bool IsClear(ChangeSet changes, PatchSite? entering, bool mayCatchUp = true)
    {
        long started = Stopwatch.GetTimestamp();
        if (FirstInside(changes, entering, out bool reliesOnFacts) is not null)
            return false;
        if (!reliesOnFacts)
            return true;
        if (!mayCatchUp)
            return false;
        if (DebugLog.Enabled)
            DebugLog.Write($"  stack looked at in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms, rests on the JIT's record: catching up");
        // The frames below this call cannot change while the thread waits here: every code version they run
        // was compiled before the catch-up began, so afterwards the record covers them.
        if (InlineKnowledge.Source is not { } source || !source.CatchUp(CatchUpTimeout))
            return false;
        return FirstInside(changes, entering, out _, caughtUp: true) is null;
    }

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>The first changed function the calling thread is inside (outermost call last), or null.</summary>
    public static PatchSite? FirstInside(ChangeSet changes, PatchSite? entering) => FirstInside(changes, entering, out _);

    /// <summary>As above; <paramref name="reliesOnFacts"/> when a frame was cleared only by the JIT's record (see <see cref="IsClear"/>).</summary>
    public static PatchSite? FirstInside(ChangeSet changes, PatchSite? entering, out bool reliesOnFacts, bool caughtUp = false)
    {
        reliesOnFacts = false;
        var frames = new StackTrace(fNeedFileInfo: false).GetFrames();
        int i = 0;
        // The runtime's own frames and the dispatch stub are the entering call, not an activation.
        while (i < frames.Length && frames[i].GetMethod()?.Module.Assembly == Runtime)
            i++;
        // The stub; with steady stubs (docs/patch-sites.md, "Steady stubs"), the full one, and the steady one too
        // where the JIT did not inline it into the method (tier 0).
        while (entering is not null && i < frames.Length && frames[i].GetMethod()?.DeclaringType?.Name == PatchSiteFormat.SitesTypeName)
            i++;
        if (entering is not null && i < frames.Length)
        {
            // The frame that called the stub: the entering method itself (just being entered), or the
            // method its check was inlined into, which must not count as inside it for entering it.
            var method = frames[i].GetMethod();
            if (MethodIdentity.Of(method) != MethodIdentity.Of(entering.Method))
            {
                bool fromFacts = false;
                var site = IsInvokeStub(method)
                    ? InvokeStubTarget(method!.Name, changes, entering)
                    : changes.SiteOf(method) ?? InlineKnowledge.InlinedChange(method, changes, entering, out fromFacts, caughtUp);
                if (site is not null)
                    return Trace("entry", method, site);
                if (fromFacts)
                    LogClearedByRecord("entering frame", method);
                reliesOnFacts |= fromFacts;
            }
            else if (i + 1 < frames.Length && IsInvokeStub(frames[i + 1].GetMethod()) && InvokeStubTarget(frames[i + 1].GetMethod()!.Name, changes, null) == entering)
            {
                i++; // entered through reflection: the stub that made this very call is not inside it
            }
            i++;
        }
        for (; i < frames.Length; i++)
        {
            var method = frames[i].GetMethod();
            if (Holds(method, changes, out bool fromFacts, caughtUp) is { } site)
                return Trace("frame", method, site);
            if (fromFacts)
                LogClearedByRecord("frame", method);
            reliesOnFacts |= fromFacts;
        }
        return null;
    }

    /// <summary>The calling thread's frames outside PatchGen.Runtime, innermost first (for <see cref="ParkedThreads.Park"/>).</summary>
    public static MethodBase?[] CallerFrames()
    {
        var frames = new StackTrace(fNeedFileInfo: false).GetFrames();
        return frames.Select(f => f.GetMethod()).SkipWhile(m => m?.Module.Assembly == Runtime).ToArray();
    }

    /// <summary>
    /// The first changed function among frames recorded earlier (no entry frame), or null;
    /// <paramref name="reliesOnFacts"/> as for a live stack (see <see cref="IsClear"/>).
    /// </summary>
    public static PatchSite? FirstInside(IReadOnlyList<MethodBase?> frames, ChangeSet changes, out bool reliesOnFacts, bool caughtUp = false)
    {
        reliesOnFacts = false;
        foreach (var method in frames)
        {
            if (Holds(method, changes, out bool fromFacts, caughtUp) is { } site)
                return site;
            reliesOnFacts |= fromFacts;
        }
        return null;
    }

    /// <summary>
    /// The changed function a frame of <paramref name="method"/> (not the entry frame) is inside, by being
    /// it or by having it inlined; the one rule for a live stack and a parked one. A lightweight dynamic
    /// method's frame (GetMethod() gives the DynamicMethod: no declaring type, no token) is neither
    /// instrumented nor a patch; what it inlined is the JIT's record of the one code version of its name,
    /// and unknown (so inside every changed function) when that record is incomplete or the name is not
    /// unique (docs/consistency-model.md, "Inlining").
    /// </summary>
    private static PatchSite? Holds(MethodBase? method, ChangeSet changes, out bool fromFacts, bool caughtUp)
    {
        fromFacts = false;
        if (IsInvokeStub(method))
            return InvokeStubTarget(method!.Name, changes, null);
        return changes.SiteOf(method) ?? InlineKnowledge.InlinedChange(method, changes, null, out fromFacts, caughtUp);
    }

    // Reflection's invoke stubs are dynamic methods named after the one method they call
    // ("InvokeStub_" + declaring type's short name + "." + method name): the only code they can have inlined.
    private const string InvokeStubPrefix = "InvokeStub_";

    private static bool IsInvokeStub(MethodBase? method)
        => method is not null && MethodIdentity.Of(method) is null && method.Name.StartsWith(InvokeStubPrefix, StringComparison.Ordinal);

    private static readonly bool TraceToFile = Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_STACKCHECK") == "1";

    /// <summary>With the certifier's debug log, a frame whose clearing rests on the JIT's record (it makes the thread catch up).</summary>
    private static void LogClearedByRecord(string what, MethodBase? method)
    {
        if (DebugLog.Enabled)
            DebugLog.Write($"  {what} {method?.DeclaringType?.FullName}.{method?.Name} is cleared by the JIT's record ({InlineKnowledge.Source?.FactsOf(method)?.Evidence})");
    }

    /// <summary>With PATCHGEN_DEBUG_STACKCHECK=1, why a thread did not switch goes to /tmp/stackcheck.log (a development aid).</summary>
    private static PatchSite Trace(string where, MethodBase? method, PatchSite site)
    {
        if (TraceToFile)
            File.AppendAllText("/tmp/stackcheck.log", $"{where} {method?.DeclaringType?.FullName}.{method?.Name} holds {site} (evidence {InlineKnowledge.Source?.FactsOf(method)?.Evidence})\n");
        return site;
    }

    private static PatchSite? InvokeStubTarget(string stubName, ChangeSet changes, PatchSite? entering)
    {
        var target = stubName.AsSpan(InvokeStubPrefix.Length);
        int dot = target.LastIndexOf('.');
        string typeName = dot < 0 ? "" : target[..dot].ToString();
        string methodName = target[(dot + 1)..].ToString();
        foreach (var site in changes.Sites)
        {
            // By short names: another type of the same name only makes the answer more cautious.
            if (site != entering && site.Method.Name == methodName && (typeName.Length == 0 || site.Method.DeclaringType?.Name == typeName))
                return site;
        }
        return null;
    }
}
