namespace PatchGen.Runtime.Consistency;

/// <summary>Where certification gets stack snapshots from (the observation session, once it runs).</summary>
internal static class StackObservation
{
    private static IStackSource? s_source;
    private static string s_unavailable = "stack sampling has not been started in this process";

    public static IStackSource? Source
    {
        get => Volatile.Read(ref s_source);
        set => Volatile.Write(ref s_source, value);
    }

    /// <summary>Why there is no <see cref="Source"/>, for reports.</summary>
    public static string WhyUnavailable
    {
        get => Volatile.Read(ref s_unavailable);
        set => Volatile.Write(ref s_unavailable, value);
    }

    public static StackSnapshot? Take(TimeSpan timeout, out string? whyNot)
    {
        var source = Source;
        if (source is null)
        {
            whyNot = WhyUnavailable;
            return null;
        }
        return source.Take(timeout, out whyNot);
    }
}
