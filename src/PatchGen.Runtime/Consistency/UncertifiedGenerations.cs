using System.Collections.Concurrent;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// What each generation not yet certified changed, oldest first, with the unions threads ask for
/// (everything changed after their own generation). Immutable but for the cache, and replaced as a whole:
/// the records and the unions computed from them travel in one object, so a union computed from older
/// records can never be found next to newer ones (a thread that took it for current could be shown clean
/// of a function it is inside).
/// </summary>
internal sealed class UncertifiedGenerations
{
    public static readonly UncertifiedGenerations None = new(Array.Empty<(long, ChangeSet)>());

    private readonly ConcurrentDictionary<long, ChangeSet> _unions = new();

    private UncertifiedGenerations((long Generation, ChangeSet Changes)[] records) => Records = records;

    public (long Generation, ChangeSet Changes)[] Records { get; }

    /// <summary>These records and one more generation.</summary>
    public UncertifiedGenerations With(long generation, ChangeSet changes)
        => new(Records.Append((generation, changes)).ToArray());

    /// <summary>The records after <paramref name="certified"/>.</summary>
    public UncertifiedGenerations After(long certified)
        => new(Records.Where(r => r.Generation > certified).ToArray());

    /// <summary>Every function a generation after <paramref name="generation"/> touched.</summary>
    public ChangeSet TouchedAfter(long generation)
    {
        if (_unions.TryGetValue(generation, out var known))
            return known;
        var sets = new List<ChangeSet>(Records.Length);
        foreach (var (number, changes) in Records)
        {
            if (number > generation)
                sets.Add(changes);
        }
        // Two threads may compute the same union; either result is right.
        return _unions.GetOrAdd(generation, ChangeSet.Union(sets));
    }
}
