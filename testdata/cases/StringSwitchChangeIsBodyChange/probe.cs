// Commands.Code of each label (through Code and IsKnown): "reload" is 6 in v1, "restart" is 6 in v2.
using System.Linq;

public static class Probe
{
    public static string Run()
        => string.Join(",", new[] { "start", "stop", "pause", "resume", "status", "reload", "restart", "help", "nope" }
            .Select(c => c + "=" + Cases.Commands.Code(c) + (Cases.Commands.IsKnown(c) ? "" : "?")));
}
