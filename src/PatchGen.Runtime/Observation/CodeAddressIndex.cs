namespace PatchGen.Runtime.Observation;

/// <summary>
/// The code versions of a <see cref="CodeMap"/> at one moment, in address order, for many lookups in a
/// row (every frame of a stack snapshot). Taken once, it keeps answering from that moment while the
/// event reader goes on adding code: a map that is asked frame by frame re-sorts itself before every
/// lookup that follows a JIT event, and in a large process whose JIT is busy that was seconds per
/// snapshot, all of them under the map's lock (certification rounds then named no thread for over 20 s).
/// Code compiled after the index was taken is not found in it: the frame shows as unknown, which
/// certification treats as code it cannot judge yet (the next round names it).
/// </summary>
internal readonly struct CodeAddressIndex
{
    private readonly CodeVersion[] _sorted;

    public CodeAddressIndex(CodeVersion[] sorted) => _sorted = sorted;

    /// <summary>The code version whose code contains <paramref name="ip"/>, or null.</summary>
    public CodeVersion? Find(ulong ip)
    {
        var sorted = _sorted ?? [];
        int lo = 0;
        int hi = sorted.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (sorted[mid].StartAddress <= ip)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return hi >= 0 && sorted[hi].Contains(ip) ? sorted[hi] : null;
    }
}
