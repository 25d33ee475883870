namespace PatchGen.Runtime.Instrumentation;

/// <summary>The low two bits of a thread's universe word (livepatch's KLP_UNPATCHED / KLP_PATCHED).</summary>
internal static class Universe
{
    /// <summary>The thread runs the code as it was before the transition's patch.</summary>
    public const int Unpatched = 0;

    /// <summary>The thread runs the code of the transition's patch.</summary>
    public const int Patched = 1;

    /// <summary>The transition worker is deciding about the thread; the thread waits for the verdict.</summary>
    public const int Switching = 2;

    public static long Word(long generation, int universe) => (generation << 2) | (uint)universe;

    public static long GenerationOf(long word) => word >> 2;

    public static int UniverseOf(long word) => (int)(word & 3);
}
