namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// The next operation that brings one target assembly's stack of patches from what the directory
/// enabled to what the folder asks for; a pure function, run again after every operation (the folder may
/// have changed meanwhile, and an operation may have failed), so the stack converges one transition at a
/// time (docs/patch-directory.md, "Semantics").
/// </summary>
/// <remarks>
/// <para>The folder's order is the stacking order: where two patches replace the same method, the one
/// whose file name sorts last runs. Order matters only between patches that share a method (or when
/// either is cumulative), so a patch stays enabled unless it must go, or a patch that must end up
/// below it shares a method with it, or one below it that must go does (the runtime refuses to
/// disable a patch while a patch stacked on it replaces the same methods). Such a patch is disabled and
/// enabled again in its place.</para>
/// <para>A cumulative patch at the bottom of the wanted stack that is not enabled yet is enabled first
/// and alone, whatever is enabled: the runtime replaces every patch of the target with it in one
/// transition (atomic replace), so no thread ever runs the target unpatched in between. Unless its ID is
/// taken by a patch still loaded (an earlier version under the same ID): then the old one must be
/// disabled and unloaded first.</para>
/// </remarks>
internal static class TargetPlan
{
    /// <param name="applied">The target's patches the directory enabled, bottom first.</param>
    /// <param name="wanted">The target's patches the folder asks for, in file order (from its last cumulative patch on).</param>
    /// <param name="isIdLoaded">Whether the runtime holds a patch with this ID, in any state.</param>
    public static PlanStep? Next(IReadOnlyList<PatchFile> applied, IReadOnlyList<PatchFile> wanted, Func<string, bool> isIdLoaded)
    {
        if (applied.Select(a => a.Identity).SequenceEqual(wanted.Select(w => w.Identity)))
            return null;

        var appliedIdentities = applied.Select(a => a.Identity).ToHashSet();
        if (wanted.Count > 0 && wanted[0].Header.Cumulative && !appliedIdentities.Contains(wanted[0].Identity) && !isIdLoaded(wanted[0].Header.Id))
            return new PlanStep.Enable(wanted[0]);

        var wantedIdentities = wanted.Select(w => w.Identity).ToHashSet();
        var leaving = applied.Where(a => !wantedIdentities.Contains(a.Identity)).Select(a => a.Identity).ToHashSet();
        var arriving = wanted.Where(w => !appliedIdentities.Contains(w.Identity)).Select(w => w.Identity).ToHashSet();
        int AppliedIndex(PatchIdentity identity) => IndexOf(applied, identity);
        int WantedIndex(PatchIdentity identity) => IndexOf(wanted, identity);

        // Patches that stay but must be stacked again: until nothing changes, since each one restacked
        // leaves and arrives itself.
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var kept in applied.Where(a => !leaving.Contains(a.Identity)))
            {
                bool blockedBelow = applied.Any(x => leaving.Contains(x.Identity) && AppliedIndex(x.Identity) < AppliedIndex(kept.Identity) && Interact(x, kept));
                bool arrivesBelow = wanted.Any(n => arriving.Contains(n.Identity) && WantedIndex(n.Identity) < WantedIndex(kept.Identity) && Interact(n, kept));
                if (blockedBelow || arrivesBelow)
                {
                    leaving.Add(kept.Identity);
                    arriving.Add(kept.Identity);
                    changed = true;
                }
            }
        }

        // Top first: the runtime disables a patch only when nothing stacked on it shares a method.
        var disable = applied.Where(a => leaving.Contains(a.Identity)).OrderByDescending(a => AppliedIndex(a.Identity)).FirstOrDefault();
        if (disable is not null)
            return new PlanStep.Disable(disable);
        var enable = wanted.FirstOrDefault(w => arriving.Contains(w.Identity));
        return enable is null ? null : new PlanStep.Enable(enable);
    }

    /// <summary>Whether the order of two patches of one target matters: they share a method, or one replaces everything.</summary>
    private static bool Interact(PatchFile a, PatchFile b) => a.Header.Cumulative || b.Header.Cumulative || a.Header.Overlaps(b.Header);

    private static int IndexOf(IReadOnlyList<PatchFile> list, PatchIdentity identity)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Identity == identity)
                return i;
        }
        return -1;
    }
}
