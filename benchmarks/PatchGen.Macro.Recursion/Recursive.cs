namespace PatchGen.Macro.Recursion;

/// <summary>
/// Recursive methods whose frames the stack-depth measurement compares between the plain and the instrumented
/// copy of this assembly. Each calls <c>atBottom</c> once at its deepest frame, where the harness reads the
/// stack pointer; both are tracked methods once instrumented (they call something).
/// </summary>
public static class Recursive
{
    /// <summary>The smallest recursion: one call per frame, and work after it, so it is not a tail call.</summary>
    public static int Countdown(int depth, Func<int> atBottom)
        => depth == 0 ? atBottom() : Countdown(depth - 1, atBottom) + 1;

    /// <summary>
    /// A recursion shaped like real code, a recursive-descent parser (JSON, expressions): one frame per nesting
    /// level of <c>[[[*]]]</c>, a few locals, a loop, a <c>ref</c> cursor.
    /// </summary>
    public static int ParseNested(string text, ref int position, Func<int> atBottom)
    {
        int items = 0;
        long checksum = 17;
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '[')
            {
                items += ParseNested(text, ref position, atBottom);
                checksum = (checksum * 31) + items;
            }
            else if (c == ']')
            {
                return items + (int)(checksum & 1);
            }
            else
            {
                items += c == '*' ? atBottom() : 1;
            }
        }
        return items;
    }

    /// <summary><paramref name="depth"/> nesting levels around the one <c>*</c> where <see cref="ParseNested"/> calls back.</summary>
    public static string NestedText(int depth) => new string('[', depth) + "*" + new string(']', depth);
}
