using System;

namespace Golden;

// Exception handlers stay on the original instructions; the dispatch block is appended after the
// body, outside every handler. A handler that ran to the end of the body (a loop that never falls
// through) ends where the dispatch block begins.
public static class Parser
{
    public static int Attempts;

    public static int ParseOr(string text, int fallback)
    {
        try
        {
            return int.Parse(text);
        }
        catch (FormatException)
        {
            return fallback;
        }
        catch (OverflowException) when (text.StartsWith('-'))
        {
            return int.MinValue;
        }
        finally
        {
            Attempts++;
        }
    }

    public static void Spin(Action step)
    {
        try
        {
            while (true)
                step();
        }
        finally
        {
            Attempts++;
        }
    }
}
