// What Tool.Main answers: v2 adds " arguments".
public static class Probe
{
    public static string Run() => Cases.Tool.Main(new[] { "a", "b" });
}
