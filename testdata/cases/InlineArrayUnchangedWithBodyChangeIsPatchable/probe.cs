// Sum() of an inline array of four 0s is 0 either way; a default Buffer is all zeros, so the probe
// fills it through its span. v2 doubles every element.
public static class Probe
{
    public static string Run()
    {
        var buffer = new Cases.Buffer();
        System.Span<int> values = buffer;
        for (int i = 0; i < values.Length; i++)
            values[i] = i + 1;
        return buffer.Sum().ToString();
    }
}
