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
            if (frame.MethodId != 0 && changes.Handles.TryGetValue(frame.MethodId, out var byHandle))
            {
                reasons.Add(Describe(byHandle));
                continue;
            }
            if (frame.Unresolved)
            {
                reasons.Add("code compiled too recently to be named");
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
                reasons.Add($"{Describe(inlined)} (inlined into {Name(frame.Method)})");
        }
        if (stack.Truncated)
            reasons.Add("a stack deeper than the sampler shows");
        return reasons;
    }

    public static string Describe(PatchSite site) => ReflectionDocumentationId.ForMethod(site.Method);

    private static string Name(System.Reflection.MethodBase? method)
        => method is null ? "a dynamic method" : $"{method.DeclaringType?.FullName}.{method.Name}";
}
