namespace PatchGen.Diff.Closures;

/// <summary>How <see cref="SameCodeAhead"/> runs beside the rules: as shipped, or in a fixed order for tests.</summary>
internal enum SameCodeOrder
{
    /// <summary>On its own thread, at the same time as the rules (the shipped order).</summary>
    Concurrent,

    /// <summary>Not at all: the rules' thread checks every pair itself.</summary>
    Off,

    /// <summary>To the end before the rules start: every pair it can settle is settled there.</summary>
    FinishedFirst,
}
