namespace PatchGen.Runtime.Tests;
public class ZzDebugTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _out;
    public ZzDebugTests(Xunit.Abstractions.ITestOutputHelper o) => _out = o;
    private const string PlainSource = """
        using System.Threading;
        namespace Probe;
        public class Calc
        {
            public long Chain() { long b = Version(); Thread.SpinWait(30); long c = LeafVersion(); long d = Version(); return 0L * 1_000_000_000 + b * 1_000_000 + c * 1_000 + d; }
            public long Version() => Id(0);
            public long LeafVersion() => 0;
            public static long Id(long v) => v;
        }
        """;
    [Fact]
    public void Debug()
    {
        var probe = ProbeBase.CreateInstrumented(PlainSource);
        var chain = probe.Calc.GetType().GetMethod("Chain")!.CreateDelegate<Func<long>>(probe.Calc);
        System.Reflection.MethodBase? lambda = null;
        var t = new Thread(() => { lambda = System.Reflection.MethodBase.GetCurrentMethod(); for (int r = 0; r < 30; r++) { for (int i = 0; i < 20000; i++) chain(); Thread.Sleep(20); } });
        t.Start(); t.Join();
        var obs = PatchGen.Runtime.Consistency.RuntimeObservation.Instance!;
        var facts = obs.FactsOf(lambda);
        _out.WriteLine($"lambda {lambda} evidence={facts?.Evidence} root={facts?.Root}");
        foreach (var i in facts?.Inlinees ?? new HashSet<string>()) _out.WriteLine("  inlinee " + i);
        foreach (var e in facts?.Edges ?? Array.Empty<(string,string)>()) _out.WriteLine("  edge " + e);
        var code = typeof(PatchGen.Runtime.Observation.CodeMap).GetMethod("GetMethodCode")!;
        _out.WriteLine("site key " + PatchGen.Runtime.Consistency.MethodIdentity.NameKey(probe.Calc.GetType().GetMethod("Chain")!));
    }
}
