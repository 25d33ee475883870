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
        => InlinedChange(method, changes, entering, out _, caughtUp: true);

    /// <summary>
    /// As above; <paramref name="fromFacts"/> tells that a null answer rests on the JIT's record where the
    /// IL alone could not rule the function out. A thread judging its own stack must then make sure the
    /// record covers the code it runs: the record lags the JIT (<see cref="IInlineSource.CatchUp"/>), and a
    /// frame may run a version compiled a moment ago (a tier-up, an on-stack replacement of a loop). With caughtUp (the
    /// record was caught up after the thread's frames were compiled: the second look of <see cref="StackCheck.IsClear"/>),
    /// a method with no recorded code runs code no event names, and its IL answers.
    /// </summary>
    public static PatchSite? InlinedChange(MethodBase? method, ChangeSet changes, PatchSite? entering, out bool fromFacts, bool caughtUp = false)
    {
        // fromFacts costs a search of the IL (with profiles: every override, transitively), which the first time for a
        // set of changes can take long; after a catch-up it is not wanted, and the certifier, which reads a sampled
        // frame's own record, never needs it.
        bool wantFromFacts = !caughtUp;
        fromFacts = false;
        if (changes.IsEmpty)
            return null;
        var source = Source;
        var facts = source?.FactsOf(method);
        if (facts is null || facts.Evidence == InlineEvidence.Lost)
            return StaticInlining.MayInline(method, changes, entering, profiled: true);
        if (facts.Evidence == InlineEvidence.NoCode)
        {
            // Before a catch-up: code compiled a moment ago looks like this; the catch-up brings its record (a thread's
            // own check then looks again). After it, or for the certifier: code no event names, judged by its IL.
            var unknownCode = StaticInlining.MayInline(method, changes, entering, profiled: true);
            if (caughtUp || unknownCode is null)
                return unknownCode;
            fromFacts = true;
            return null;
        }
        PatchSite? recorded;
        if (entering is not null && facts.Trees is { } trees && EnclosingChange(trees, entering, changes, out var enclosing))
        {
            recorded = enclosing;
        }
        else
        {
            // Without the inline tree, which inlined copy encloses which is unknown (the inlining events name
            // the method being compiled as the inliner of every inlinee, nested or not): the frame may be
            // inside any of them, except (entering) the one whose check it runs, which cannot enclose itself.
            recorded = Match(facts.Inlinees.Where(i => entering is null || i != MethodIdentity.NameKey(entering.Method)), changes);
        }
        if (recorded is not null)
            return recorded;
        if (facts.Evidence == InlineEvidence.Recorded)
        {
            // A dynamic method's record was found by its name, which only a caught-up record shows to be
            // its own (a newer method of the same name may not be in it yet): always a fact to refresh.
            fromFacts = method is System.Reflection.Emit.DynamicMethod || (wantFromFacts && StaticInlining.MayInline(method, changes, entering, profiled: true) is not null);
            return null;
        }
        // Compiled before observation began: that code cannot hold a changed function through guarded
        // devirtualization. A newer version can (a tier-up), and the record may not show it yet: a null answer
        // then rests on the record wherever the IL with profiles could hold one.
        var byIl = StaticInlining.MayInline(method, changes, entering, profiled: false);
        if (byIl is null && wantFromFacts)
            fromFacts = StaticInlining.MayInline(method, changes, entering, profiled: true) is not null;
        return byIl;
    }

    /// <summary>
    /// With the JIT's inline trees: the frame runs the check of one inlined copy of <paramref name="entering"/>,
    /// so it is inside exactly that copy's ancestors. Since it is unknown which copy, every copy counts:
    /// a changed (or unresolved) ancestor of any of them is returned. False when no tree holds a copy
    /// (the code running is not one whose tree is known): then the caller must be cautious.
    /// </summary>
    private static bool EnclosingChange(IReadOnlyList<Observation.InlineTree> trees, PatchSite entering, ChangeSet changes, out PatchSite? enclosing)
    {
        // The entering method's own nodes must be recognised exactly (a wrong one would hide the right one's
        // ancestors): by its MethodDesc, or by its token in its own module.
        ulong handle = entering.Method.ContainsGenericParameters ? 0 : (ulong)entering.Method.MethodHandle.Value;
        ulong module = RuntimeObservation.Instance?.ModuleIdOf(entering.Method.Module) ?? 0;
        int token = entering.Method.MetadataToken;
        var tokens = changes.Tokens;
        bool found = false;
        enclosing = null;
        foreach (var tree in trees)
        {
            for (int node = 1; node < tree.Count; node++)
            {
                var key = tree.KeyOf(node);
                bool isEntering = tree.MethodIds[node] == handle || (key is not null && module != 0 && key.LoaderModuleId == module && key.Token == token);
                if (!isEntering)
                    continue;
                found = true;
                for (int parent = tree.Parents[node]; parent > 0; parent = tree.Parents[parent])
                {
                    var ancestor = tree.KeyOf(parent);
                    if (ancestor is null)
                    {
                        // Not described (yet): it may be a changed function.
                        enclosing = changes.Sites.First();
                        return true;
                    }
                    if (tokens.TryGetValue(ancestor.Token, out var site))
                    {
                        enclosing = site;
                        return true;
                    }
                }
            }
        }
        return found;
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
