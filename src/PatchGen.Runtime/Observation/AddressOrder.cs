namespace PatchGen.Runtime.Observation;

/// <summary>
/// The live code versions of a <see cref="CodeMap"/> in address order, with no two overlapping, brought up to date
/// only when asked (<see cref="Current"/>) from what was added and removed since the last time.
/// <para>
/// Why not a full sort: every stack snapshot asks for the order, and some code is always compiled between two
/// snapshots. A full sort of every version (~31,000 in the transition benchmark's process) took ~30 ms; a merge that
/// walked every version took 2.5–8 ms of each ~12 ms transition (docs/benchmarks.md, "Transitions"). Here the
/// versions that did not change are copied in runs, a block copy each, and only the places where something was
/// added or removed are looked at one by one.
/// </para>
/// <para>
/// Not thread safe: the owning map calls it under its own lock, and passes the map's view of which versions are
/// live and what to do with a version an overlap made stale.
/// </para>
/// </summary>
internal sealed class AddressOrder
{
    private CodeVersion[] _sorted = [];
    private readonly List<CodeVersion> _added = new();
    private readonly List<CodeVersion> _removed = new();
    // More versions removed since the last order than are worth finding one by one (a collectible module's unload):
    // every version of the last order is checked instead.
    private bool _removedTooMany;

    /// <summary>A version the map now holds.</summary>
    public void Added(CodeVersion version) => _added.Add(version);

    /// <summary>A version the map no longer holds.</summary>
    public void Removed(CodeVersion version)
    {
        if (_removedTooMany)
            return;
        if (_removed.Count >= 1024 + (_sorted.Length / 8))
        {
            _removed.Clear();
            _removedTooMany = true;
            return;
        }
        _removed.Add(version);
    }

    /// <summary>How many versions were added since the last order (for the map's pruning rule).</summary>
    public int AddedCount => _added.Count;

    /// <summary>Drops added versions the map no longer holds: a process that never asks for the order must not keep its freed code here.</summary>
    public void PruneAdded(Func<CodeVersion, bool> isLive) => _added.RemoveAll(v => !isLive(v));

    /// <summary>
    /// Every live version in (address, order) order, overlaps resolved: of two versions whose code overlaps, the one
    /// added later is kept (the runtime reused freed code memory: an unloaded collectible module whose unload was
    /// not read yet, or a missed MethodUnload), and the other is passed to <paramref name="stale"/>. The array is
    /// never changed afterwards; it stands until something is added or removed.
    /// </summary>
    public CodeVersion[] Current(Func<CodeVersion, bool> isLive, Action<CodeVersion> stale)
    {
        if (_added.Count == 0 && _removed.Count == 0 && !_removedTooMany)
            return _sorted;

        var added = _added.Where(isLive).ToList();
        _added.Clear();
        added.Sort(ByAddressThenOrder);
        List<int> dropped = DroppedFromLastOrder(isLive);

        CodeVersion[] old = _sorted;
        var kept = new List<CodeVersion>(old.Length + added.Count);
        int o = 0, fresh = 0, nextDropped = 0;
        while (o < old.Length || fresh < added.Count)
        {
            if (nextDropped < dropped.Count && dropped[nextDropped] == o)
            {
                o++;
                nextDropped++;
                continue;
            }

            bool takeOld = fresh >= added.Count || (o < old.Length && ByAddressThenOrder(old[o], added[fresh]) <= 0);
            if (takeOld && (kept.Count == 0 || kept[^1].EndAddress <= old[o].StartAddress))
            {
                // A run of the last order up to the next added or dropped version: those versions do not overlap one
                // another (no order made here has overlaps, and dropping some keeps it so) nor, from the first, what
                // is kept, so each would be kept as it is. One block copy.
                int end = fresh < added.Count ? FirstAfter(old, o, added[fresh]) : old.Length;
                if (nextDropped < dropped.Count)
                    end = Math.Min(end, dropped[nextDropped]);
                kept.AddRange(new ArraySegment<CodeVersion>(old, o, end - o));
                o = end;
                continue;
            }

            CodeVersion version = takeOld ? old[o++] : added[fresh++];
            while (kept.Count > 0 && kept[^1].EndAddress > version.StartAddress && kept[^1].Order < version.Order)
            {
                stale(kept[^1]);
                kept.RemoveAt(kept.Count - 1);
            }

            if (kept.Count > 0 && kept[^1].EndAddress > version.StartAddress)
            {
                stale(version);
                continue;
            }

            kept.Add(version);
        }

        _sorted = kept.ToArray();
        return _sorted;
    }

    /// <summary>The places in the last order of the versions removed since, ascending; clears the record of removals.</summary>
    private List<int> DroppedFromLastOrder(Func<CodeVersion, bool> isLive)
    {
        var dropped = new List<int>();
        if (_removedTooMany)
        {
            for (int i = 0; i < _sorted.Length; i++)
            {
                if (!isLive(_sorted[i]))
                    dropped.Add(i);
            }
        }
        else
        {
            foreach (CodeVersion version in _removed)
            {
                // (address, order) is unique: the order is a version's own sequence number.
                int at = Array.BinarySearch(_sorted, version, AddressThenOrder.Instance);
                if (at >= 0 && ReferenceEquals(_sorted[at], version))
                    dropped.Add(at);
            }
            dropped.Sort();
            // A version removed twice (a module unloaded after one of its versions was) is dropped once.
            for (int i = dropped.Count - 1; i > 0; i--)
            {
                if (dropped[i] == dropped[i - 1])
                    dropped.RemoveAt(i);
            }
        }

        _removed.Clear();
        _removedTooMany = false;
        return dropped;
    }

    /// <summary>The first place at or after <paramref name="from"/> whose version sorts after <paramref name="version"/>.</summary>
    private static int FirstAfter(CodeVersion[] sorted, int from, CodeVersion version)
    {
        int at = Array.BinarySearch(sorted, from, sorted.Length - from, version, AddressThenOrder.Instance);
        return at >= 0 ? at + 1 : ~at;
    }

    private static int ByAddressThenOrder(CodeVersion a, CodeVersion b)
        => a.StartAddress != b.StartAddress ? a.StartAddress.CompareTo(b.StartAddress) : a.Order.CompareTo(b.Order);

    private sealed class AddressThenOrder : IComparer<CodeVersion>
    {
        public static readonly AddressThenOrder Instance = new();

        public int Compare(CodeVersion? a, CodeVersion? b) => ByAddressThenOrder(a!, b!);
    }
}
