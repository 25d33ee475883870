// The handlers of a router configured once, at the first run (before the patch, as an app maps its
// endpoints at startup), and of one configured at each run: with the patch, both run v2's bodies.
using System.Linq;

public static class Probe
{
    private static Cases.Router? _atStartup;

    public static string Run()
    {
        _atStartup ??= new Cases.Shop(3).Configure("hello");
        var now = new Cases.Shop(3).Configure("hi");
        static string Ask(Cases.Router router, string path) => router.Handle(path, path == "/price" ? "7" : "ab cde").GetAwaiter().GetResult();
        return string.Join(" | ", new[] { "/static", "/greet", "/price", "/async", "/later", "/words" }.Select(p => Ask(_atStartup, p) + " / " + Ask(now, p)));
    }
}
