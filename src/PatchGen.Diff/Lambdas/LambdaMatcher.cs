using Mono.Cecil;

namespace PatchGen.Diff.Lambdas;

/// <summary>
/// Finds which lambdas and local functions of a changed method's base closure are the same lambdas
/// in the new build, as Roslyn's Edit and Continue maps them (by place in the owner's syntax, within
/// the same closure), from what IL shows:
/// <list type="number">
/// <item>both sides in syntax order (the compiler's lambda ordinals); lambdas whose code is
/// unchanged and unique on both sides anchor the alignment;</item>
/// <item>between two anchors, the lambdas left on each side are paired one to one in order when they
/// are as many and each pair is compatible (<see cref="LambdaFacts.CompatibleWith"/>); otherwise only
/// those with exactly one compatible counterpart, if that keeps the order;</item>
/// <item>the closure classes of paired lambdas are paired with them, and must have the same shape
/// (captured variables by position and type), as must every closure they refer to; a lambda whose
/// closure cannot be paired is not paired (a capture added or removed is another closure).</item>
/// </list>
/// What is not paired keeps today's treatment: the owner is replaced and ships it as a new helper,
/// with PG3006. A false match would run a new body on an old closure, so every doubt leaves a lambda
/// unpaired.
/// </summary>
internal static class LambdaMatcher
{
    public static LambdaIdentity Match(RenderedClosure @base, RenderedClosure @new)
    {
        var ownerChanged = OwnerChanged(@base, @new);
        var baseLambdas = LambdaFacts.Of(@base);
        var newLambdas = LambdaFacts.Of(@new);
        var pairs = baseLambdas is null || newLambdas is null ? new List<(LambdaFacts B, LambdaFacts N)>() : Align(baseLambdas, newLambdas);

        var closures = new Dictionary<TypeDefinition, TypeDefinition>();
        while (true)
        {
            closures = PairClosures(@base, @new, pairs, out var rejected);
            int before = pairs.Count;
            pairs.RemoveAll(p => Closures(p.B).Any(rejected.Contains) || Closures(p.N).Any(rejected.Contains));
            if (pairs.Count == before)
                break;
        }

        var result = pairs.Select(p => new LambdaPair(p.B.Method, p.N.Method, p.B.Body != p.N.Body)).ToList();
        return new LambdaIdentity(result, closures, ownerChanged, Unmatched(@base, @new, result, closures));
    }

    /// <summary>The owner's own section, or its own state machine, differs.</summary>
    private static bool OwnerChanged(RenderedClosure @base, RenderedClosure @new)
    {
        static string Own(RenderedClosure closure)
        {
            var own = GeneratedCode.StateMachineOf(closure.Owner)?.Type;
            return string.Join("|", closure.Sections
                .Where(s => s.Kind == ClosureSectionKind.Owner || (own is not null && ReferenceEquals(s.Member, own)))
                .Select(s => Convert.ToHexString(s.Hash)));
        }
        return Own(@base) != Own(@new);
    }

    private static IEnumerable<TypeDefinition> Closures(LambdaFacts lambda)
        => lambda.Kind == LambdaContainerKind.Closure ? lambda.SignatureClosures.Prepend(lambda.Container) : lambda.SignatureClosures;

    /// <summary>Step 1 and 2: anchors, then the gaps between them.</summary>
    private static List<(LambdaFacts B, LambdaFacts N)> Align(List<LambdaFacts> b, List<LambdaFacts> n)
    {
        var anchors = new List<(int B, int N)>();
        int lastN = -1;
        for (int i = 0; i < b.Count; i++)
        {
            var body = b[i].Body;
            if (b.Count(x => x.Body == body) != 1 || n.Count(x => x.Body == body) != 1)
                continue;
            int j = n.FindIndex(x => x.Body == body);
            if (j > lastN && b[i].CompatibleWith(n[j]))
            {
                anchors.Add((i, j));
                lastN = j;
            }
        }
        anchors.Add((b.Count, n.Count));

        var pairs = new List<(LambdaFacts, LambdaFacts)>();
        int fromB = 0, fromN = 0;
        foreach (var (toB, toN) in anchors)
        {
            pairs.AddRange(MatchGap(b.GetRange(fromB, toB - fromB), n.GetRange(fromN, toN - fromN)));
            if (toB < b.Count)
                pairs.Add((b[toB], n[toN]));
            fromB = toB + 1;
            fromN = toN + 1;
        }
        return pairs;
    }

    private static IEnumerable<(LambdaFacts, LambdaFacts)> MatchGap(List<LambdaFacts> b, List<LambdaFacts> n)
    {
        if (b.Count == 0 || n.Count == 0)
            return [];
        if (b.Count == n.Count && b.Zip(n).All(p => p.First.CompatibleWith(p.Second)))
            return b.Zip(n).ToList();
        // Only unambiguous pairs, and only if they keep the order.
        var unique = new List<(LambdaFacts B, LambdaFacts N)>();
        foreach (var x in b)
        {
            var candidates = n.Where(x.CompatibleWith).ToList();
            if (candidates.Count == 1 && b.Count(y => y.CompatibleWith(candidates[0])) == 1)
                unique.Add((x, candidates[0]));
        }
        for (int i = 1; i < unique.Count; i++)
        {
            if (n.IndexOf(unique[i].N) < n.IndexOf(unique[i - 1].N))
                return [];
        }
        return unique;
    }

    /// <summary>
    /// Step 3: the closure types the pairs need, paired one to one, each with the same shape as its
    /// counterpart, and the closures their fields hold paired as well. Types that cannot be paired are
    /// <paramref name="rejected"/> (from either build).
    /// </summary>
    private static Dictionary<TypeDefinition, TypeDefinition> PairClosures(RenderedClosure @base, RenderedClosure @new, List<(LambdaFacts B, LambdaFacts N)> pairs, out HashSet<TypeDefinition> rejected)
    {
        var forward = new Dictionary<TypeDefinition, TypeDefinition>();
        var backward = new Dictionary<TypeDefinition, TypeDefinition>();
        var bad = new HashSet<TypeDefinition>();
        rejected = bad;
        var work = new Queue<(TypeDefinition B, TypeDefinition N)>();
        foreach (var (b, n) in pairs)
        {
            var bs = Closures(b).ToList();
            var ns = Closures(n).ToList();
            for (int i = 0; i < Math.Min(bs.Count, ns.Count); i++)
                work.Enqueue((bs[i], ns[i]));
        }
        while (work.TryDequeue(out var pair))
        {
            var (b, n) = pair;
            if (forward.TryGetValue(b, out var known) && ReferenceEquals(known, n))
                continue;
            if (forward.ContainsKey(b) || backward.ContainsKey(n) || !SameShape(@base, b, @new, n))
            {
                rejected.Add(b);
                rejected.Add(n);
                if (forward.TryGetValue(b, out var other))
                    rejected.Add(other);
                if (backward.TryGetValue(n, out var otherBase))
                    rejected.Add(otherBase);
                continue;
            }
            forward[b] = n;
            backward[n] = b;
            for (int i = 0; i < b.Fields.Count; i++)
            {
                if (Element(b.Fields[i].FieldType) is { } bf && Element(n.Fields[i].FieldType) is { } nf)
                    work.Enqueue((bf, nf));
                else if (Element(b.Fields[i].FieldType) is { } || Element(n.Fields[i].FieldType) is { })
                {
                    rejected.Add(b);
                    rejected.Add(n);
                }
            }
        }
        // A rejected type takes down every closure that refers to it.
        bool more = true;
        while (more)
        {
            more = false;
            foreach (var (b, n) in forward)
            {
                if (rejected.Contains(b) && rejected.Contains(n))
                    continue;
                bool refersToRejected = rejected.Contains(b) || rejected.Contains(n)
                    || b.Fields.Any(f => Element(f.FieldType) is { } t && bad.Contains(t))
                    || n.Fields.Any(f => Element(f.FieldType) is { } t && bad.Contains(t));
                if (refersToRejected)
                {
                    rejected.Add(b);
                    rejected.Add(n);
                    more = true;
                }
            }
        }
        var result = new Dictionary<TypeDefinition, TypeDefinition>();
        foreach (var (b, n) in forward)
        {
            if (!rejected.Contains(b) && !rejected.Contains(n))
                result[n] = b;
        }
        return result;
    }

    /// <summary>A closure type of the module a field's type names (through arrays, references, generic instances), or null.</summary>
    private static TypeDefinition? Element(TypeReference type)
        => type.GetElementType() is TypeDefinition definition && GeneratedCode.IsOwnedGeneratedType(definition) ? definition : null;

    /// <summary>Same kind, header and fields by position (their canonical section), as both closures rendered them.</summary>
    private static bool SameShape(RenderedClosure @base, TypeDefinition b, RenderedClosure @new, TypeDefinition n)
    {
        var bs = @base.Sections.FirstOrDefault(s => s.Kind == ClosureSectionKind.Closure && ReferenceEquals(s.Member, b));
        var ns = @new.Sections.FirstOrDefault(s => s.Kind == ClosureSectionKind.Closure && ReferenceEquals(s.Member, n));
        return bs is not null && ns is not null && bs.Hash.AsSpan().SequenceEqual(ns.Hash)
            && b.Fields.Count == n.Fields.Count && b.IsValueType == n.IsValueType && b.GenericParameters.Count == n.GenericParameters.Count;
    }

    /// <summary>
    /// PG3006's condition, once pairs are set aside: a lambda, local function, closure shape or a
    /// lambda's state machine of the base that is neither paired nor found unchanged in the new build.
    /// </summary>
    private static bool Unmatched(RenderedClosure @base, RenderedClosure @new, List<LambdaPair> pairs, Dictionary<TypeDefinition, TypeDefinition> closures)
    {
        var covered = new HashSet<IMemberDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var pair in pairs)
        {
            covered.Add(pair.Base);
            covered.Add(pair.New);
            if (GeneratedCode.StateMachineOf(pair.Base)?.Type is { } b)
                covered.Add(b);
            if (GeneratedCode.StateMachineOf(pair.New)?.Type is { } n)
                covered.Add(n);
        }
        foreach (var (n, b) in closures)
        {
            covered.Add(n);
            covered.Add(b);
        }

        var ownStateMachines = new[] { GeneratedCode.StateMachineOf(@base.Owner)?.Type, GeneratedCode.StateMachineOf(@new.Owner)?.Type };
        bool IsLambda(ClosureSection s) => !covered.Contains(s.Member) && (s.Kind is ClosureSectionKind.Lambda or ClosureSectionKind.Closure
            || (s.Kind is ClosureSectionKind.StateMachine && !ownStateMachines.Contains(s.Member)));
        var remaining = @new.Sections.Where(IsLambda).Select(s => Convert.ToHexString(s.Hash)).ToList();
        foreach (var section in @base.Sections.Where(IsLambda))
        {
            if (!remaining.Remove(Convert.ToHexString(section.Hash)))
                return true;
        }
        return false;
    }
}
