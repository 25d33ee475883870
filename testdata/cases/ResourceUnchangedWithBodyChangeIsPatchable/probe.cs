// Greeter.Hello: "Hello" in v1, "Hello!" in v2 (the embedded resource is the same in both).
public static class Probe
{
    public static string Run() => Cases.Greeter.Hello();
}
