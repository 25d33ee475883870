using PatchGen.Diagnostics;

namespace PatchGen.Runtime;

/// <summary>livepatch's <c>klp_is_patch_compatible</c>, plus the checks a .NET process needs (PG4003).</summary>
internal static class PatchCompatibility
{
    /// <summary>Refuses <paramref name="patch"/> with PG4003 unless it can join <paramref name="loaded"/> (an engine's patches, read under its lock).</summary>
    public static void Check(IReadOnlyList<LoadedPatch> loaded, LoadedPatch patch)
    {
        if (loaded.Any(p => p.Id == patch.Id))
            throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, "a patch with the same ID is already loaded");
        var established = new Dictionary<int, (int Version, string By)>();
        foreach (var other in loaded.Where(p => p.State == PatchState.Enabled))
            foreach (var (id, version) in other.SystemStates)
                if (!established.TryGetValue(id, out var known) || known.Version < version)
                    established[id] = (version, other.Id);
        foreach (var (id, version) in patch.SystemStates)
            if (established.TryGetValue(id, out var known) && known.Version > version)
                throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, $"it declares system state {id} version {version}, but {known.By} established version {known.Version}");
        if (!patch.Cumulative)
        {
            // Each patch keeps its own copy of a static field its fix added: two enabled copies would
            // split the field's value between the functions of either patch (docs/diff-rules.md#the-extended-model).
            foreach (var other in loaded.Where(p => p.State == PatchState.Enabled && p.SharesBaseWith(patch)))
                foreach (var field in other.AddedStatics.Where(patch.AddedStatics.Contains))
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id,
                        $"it keeps its own copy of {field}, a static field the fix adds, and {other.Id} keeps one too; stack it as a cumulative patch (it then replaces {other.Id} and its copy) or disable {other.Id} first");
        }
        if (patch.Cumulative)
        {
            // The patches it replaces (those sharing a base with it) stop maintaining their states.
            foreach (var replaced in loaded.Where(p => p.State == PatchState.Enabled && p.SharesBaseWith(patch)))
                foreach (var (id, version) in replaced.SystemStates)
                    if (!patch.SystemStates.Any(s => s.Id == id))
                        throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, $"it replaces {replaced.Id}, which established system state {id} version {version}, but does not declare that state");
        }
    }
}
