// What SendAsync writes to the outbox: v2 appends a signature line after the body.
using System.IO;

public static class Probe
{
    public static string Run()
    {
        var outbox = new StringWriter { NewLine = "\n" };
        new Cases.Mailer().SendAsync(outbox, "bob@example.com", "hello").GetAwaiter().GetResult();
        return outbox.ToString().Replace("\n", "\\n");
    }
}
