using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>Why a thread keeps a transition from being certified: the changed functions it is inside, or what could not be seen.</summary>
internal sealed record Straggler(int OsThreadId, int? ManagedThreadId, string? Name, IReadOnlyList<string> Reasons);

/// <summary>Reads one thread's snapshot stack against the functions a transition changes.</summary>
internal static class ThreadStackVerdict
{
    /// <summary>What of <paramref name="changes"/> the stack holds (outermost first), empty when nothing.</summary>
    public static List<string> Inside(ThreadStack stack, ChangeSet changes)
    {
        var reasons = new List<string>();
        for (int i = stack.Frames.Count - 1; i >= 0; i--)
        {
            var frame = stack.Frames[i];
            if (IsEntering(frame, innermost: i == 0))
            {
                // A thread between a method's slot check and the code it dispatches to may have read the
                // generation before this transition was published, so be about to start an old activation;
                // and the JIT may have turned the method's call to its stub into a tail call, leaving no
                // frame of the method. It is gone from here in a moment: the next round sees where it went.
                reasons.Add("entering a patched function");
                continue;
            }
            if (frame.MethodId != 0 && changes.Handles.TryGetValue(frame.MethodId, out var byHandle))
            {
                reasons.Add(Describe(byHandle));
                continue;
            }
            if (frame.Unresolved)
            {
                reasons.Add(frame.Reason ?? "code compiled too recently to be named");
                continue;
            }
            // Code whose module cannot be named (a patch loaded from memory, a test runner's) is matched by
            // the name the runtime's events give it: any overload or instantiation of a changed function.
            if (frame.Method is null && frame.NameKey is { } key && changes.InlineeNames.TryGetValue(key, out var byName))
            {
                reasons.Add(Describe(byName));
                continue;
            }
            if (changes.SiteOf(frame.Method) is { } site)
            {
                reasons.Add(Describe(site));
                continue;
            }
            var inlined = frame.Inlinees is null
                ? InlineKnowledge.InlinedChange(frame.Method, changes, null)
                : InlineKnowledge.Match(frame.Inlinees, changes);
            if (inlined is not null)
                reasons.Add($"{Describe(inlined)} (inlined into {Name(frame)})");
        }
        if (stack.Truncated)
            reasons.Add("a stack deeper than the sampler shows");
        return reasons;
    }

    private static readonly string StubKeyPrefix = MethodIdentity.NameKey(PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName, PatchGen.Diagnostics.PatchSiteFormat.StubPrefix);

    /// <summary>
    /// The runtime's code that answers a dispatch stub (<see cref="PatchSite.Target"/>), or a stub that is
    /// the innermost frame (before or after asking). A stub with any other frame above it has made its
    /// call: the code it called is on the stack, and judged on its own.
    /// </summary>
    private static bool IsEntering(SnapshotFrame frame, bool innermost)
    {
        if (frame.Method is { } method)
        {
            var type = method.DeclaringType;
            return type == typeof(PatchSite)
                || (innermost && type?.Name == PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName && method.Name.StartsWith(PatchGen.Diagnostics.PatchSiteFormat.StubPrefix, StringComparison.Ordinal));
        }
        return innermost && frame.NameKey is { } key && key.StartsWith(StubKeyPrefix, StringComparison.Ordinal);
    }

    public static string Describe(PatchSite site) => ReflectionDocumentationId.ForMethod(site.Method);

    // A dynamic method by the name the runtime gave it (dynamicClass::lambda_method12): PG4001 then says which.
    private static string Name(SnapshotFrame frame)
        => frame.Method is { } method ? $"{method.DeclaringType?.FullName}.{method.Name}" : frame.NameKey ?? "a dynamic method";
}
