using System.Reflection;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// Whether a frame counts as being inside a changed function because the JIT inlined the function into
/// the frame's code (docs/consistency-model.md, "Inlining"). The JIT's own record of what it inlined
/// answers when the runtime has it; otherwise <see cref="StaticInlining"/> answers, more cautiously.
/// </summary>
internal static class InlineKnowledge
{
    private static IInlineSource? s_source;

    /// <summary>Set once the observation session runs.</summary>
    public static IInlineSource? Source
    {
        get => Volatile.Read(ref s_source);
        set => Volatile.Write(ref s_source, value);
    }

    /// <summary>
    /// A changed function that code of <paramref name="method"/> may be running inlined, or null.
    /// <paramref name="entering"/> is given for the frame that is calling the dispatch stub of that function
    /// from an inlined copy of its check: that frame is not inside the function it is entering (the JIT
    /// never inlines a method into its own inlined copy).
    /// </summary>
    public static PatchSite? InlinedChange(MethodBase? method, ChangeSet changes, PatchSite? entering)
    {
        if (changes.IsEmpty)
            return null;
        var source = Source;
        var facts = source?.FactsOf(method);
        if (facts is null || facts.Evidence == InlineEvidence.Lost)
            return StaticInlining.MayInline(method, changes, entering, profiled: true);
        // The runtime's events name the method being compiled as the inliner of every inlinee, nested or
        // not, so which inlined copy encloses which is unknown: the frame may be inside any of them, except
        // (for the frame entering it) the one whose check it is running, which cannot enclose itself.
        var recorded = Match(facts.Inlinees.Where(i => entering is null || i != MethodIdentity.NameKey(entering.Method)), changes);
        if (recorded is not null || facts.Evidence == InlineEvidence.Recorded)
            return recorded;
        return StaticInlining.MayInline(method, changes, entering, profiled: false);
    }

    /// <summary>The first changed function among <paramref name="inlinees"/> (name keys), or null.</summary>
    public static PatchSite? Match(IEnumerable<string> inlinees, ChangeSet changes)
    {
        foreach (var name in inlinees)
        {
            if (changes.InlineeNames.TryGetValue(name, out var site))
                return site;
        }
        return null;
    }

}
