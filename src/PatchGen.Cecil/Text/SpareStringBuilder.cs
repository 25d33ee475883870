using System.Text;

namespace PatchGen.Cecil.Text;

/// <summary>
/// One builder per thread, kept between the texts written by the hundred thousand while reading a large assembly
/// (type names, documentation IDs, call-site signatures): a new builder for each, grown chunk by chunk, cost more
/// than the texts. <see cref="Take"/> hands the spare out and <see cref="Release"/> gives it back, so a text written
/// while another is (a type name inside an ID) gets a builder of its own instead of clearing the other's.
/// </summary>
internal static class SpareStringBuilder
{
    [ThreadStatic]
    private static StringBuilder? t_spare;

    /// <summary>An empty builder: this thread's spare, or a new one while the spare is taken.</summary>
    public static StringBuilder Take()
    {
        var builder = t_spare ?? new StringBuilder(256);
        t_spare = null;
        return builder.Clear();
    }

    /// <summary>The text of <paramref name="builder"/>, which becomes this thread's spare again.</summary>
    public static string Release(StringBuilder builder)
    {
        var text = builder.ToString();
        t_spare = builder;
        return text;
    }
}
