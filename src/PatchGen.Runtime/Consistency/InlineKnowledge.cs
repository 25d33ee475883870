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
    /// A changed function (other than <paramref name="exempt"/>) that code of <paramref name="method"/> may
    /// hold inlined, or null. <paramref name="exempt"/> is the function a thread is entering from an inlined
    /// copy in this very frame: entering it is not being inside it.
    /// </summary>
    public static PatchSite? InlinedChange(MethodBase? method, ChangeSet changes, PatchSite? exempt)
    {
        if (changes.IsEmpty)
            return null;
        var inlinees = Source?.InlineesOf(method);
        if (inlinees is null)
            return StaticInlining.MayInline(method, changes, exempt);
        return Match(inlinees, changes, exempt);
    }

    /// <summary>The first changed function among <paramref name="inlinees"/> (name keys), other than <paramref name="exempt"/>.</summary>
    public static PatchSite? Match(IReadOnlyCollection<string> inlinees, ChangeSet changes, PatchSite? exempt)
    {
        foreach (var name in inlinees)
        {
            if (changes.InlineeNames.TryGetValue(name, out var site) && site != exempt)
                return site;
        }
        return null;
    }
}
