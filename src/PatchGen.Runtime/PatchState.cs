namespace PatchGen.Runtime;

/// <summary>Where a patch is in its life (livepatch's enabled/transition attributes in sysfs).</summary>
public enum PatchState
{
    /// <summary>Being enabled: its transition to the patched universe is in progress.</summary>
    Enabling,
    /// <summary>Every thread runs its code.</summary>
    Enabled,
    /// <summary>Being disabled: its transition back to the code below it is in progress.</summary>
    Disabling,
    /// <summary>No thread runs its code any more; it can be unloaded unless it was forced.</summary>
    Disabled,
    /// <summary>Replaced by a cumulative patch; like <see cref="Disabled"/>.</summary>
    Replaced,
    /// <summary>Its load context was unloaded and collected.</summary>
    Unloaded,
}
