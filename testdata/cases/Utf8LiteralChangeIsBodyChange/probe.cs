// The bytes of Protocol.Greeting: "HELLO v1\r\n" in v1, "HELLO v2\r\n" in v2.
public static class Probe
{
    public static string Run()
        => System.Convert.ToHexString(Cases.Protocol.Greeting()) + " " + System.Text.Encoding.ASCII.GetString(Cases.Protocol.Greeting()).Replace("\r\n", "\\r\\n");
}
