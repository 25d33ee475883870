using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>
/// Which methods of an instrumented base run inlined copies of a method's site-less clone (site format 4,
/// docs/patch-sites.md "Inline clones"), read before the diff engine's view removes the clones. A patch that
/// changes a method must replace these too (docs/patch-format.md): the JIT may have inlined the clone into any of
/// them, and an inlined copy has no site, so a thread inside one of them would otherwise run the old body after
/// it switched to the patch. With them among the patch's functions, the consistency rule (a thread switches only
/// when no function of the patch is on its stack) keeps every call chain on one side.
/// </summary>
internal sealed class InlineCloneCallers
{
    public static readonly InlineCloneCallers None = new(new Dictionary<MethodDefinition, HashSet<MethodDefinition>>());

    // For each cloned method (its original), the methods with a site whose bodies call its clone directly. A clone
    // is not recorded as a caller: it has its original's body, so its original calls the same clones.
    private readonly Dictionary<MethodDefinition, HashSet<MethodDefinition>> _directCallers;

    private InlineCloneCallers(Dictionary<MethodDefinition, HashSet<MethodDefinition>> directCallers) => _directCallers = directCallers;

    /// <summary>
    /// From the base's direct calls of clones, read while the clones are still in the module: each names the
    /// original of the clone called and the calling method with a site.
    /// </summary>
    public static InlineCloneCallers Build(IEnumerable<MethodDefinition> cloned, IEnumerable<(MethodDefinition Original, MethodDefinition Caller)> calls)
    {
        var direct = cloned.ToDictionary(m => m, _ => new HashSet<MethodDefinition>());
        foreach (var (original, caller) in calls)
            direct[original].Add(caller);
        return new InlineCloneCallers(direct);
    }

    /// <summary>Whether <paramref name="method"/> has a clone in the base.</summary>
    public bool IsCloned(MethodDefinition method) => _directCallers.ContainsKey(method);

    /// <summary>
    /// The methods with a site a patch of <paramref name="method"/> must replace besides it: every method whose body
    /// calls its clone, and, through clones calling clones, every method whose body calls a clone that (transitively)
    /// calls it; <paramref name="method"/> itself left out. Empty when it has no clone.
    /// </summary>
    public IReadOnlyCollection<MethodDefinition> Of(MethodDefinition method)
    {
        var result = new HashSet<MethodDefinition>();
        if (!_directCallers.ContainsKey(method))
            return result;
        var seenClones = new HashSet<MethodDefinition> { method };
        var pending = new Stack<MethodDefinition>();
        pending.Push(method);
        while (pending.Count > 0)
        {
            foreach (var caller in _directCallers[pending.Pop()])
            {
                result.Add(caller);
                // The caller's clone calls this clone too (a clone has its original's body): its callers inline it.
                if (_directCallers.ContainsKey(caller) && seenClones.Add(caller))
                    pending.Push(caller);
            }
        }
        result.Remove(method);
        return result;
    }
}
