namespace PatchGen.Runtime.Tests;

/// <summary>
/// The whole path a user takes, minus the emitter: plain C# compiled, rewritten by the real
/// instrumenter, loaded as an application would load it, then patched through the operations of
/// <see cref="PatchRuntime"/> with replacements of a generic method of a generic type, a struct method and
/// a constructor. Each test drives an engine of its own.
/// </summary>
public sealed class InstrumentedPatchingTests : IDisposable
{
    private readonly PatchEngine _engine = new(nameof(InstrumentedPatchingTests));

    private const string Source = """
        namespace Probe;

        public class Calc
        {
            public int Inner(int x) => x + 1;
            public int Outer(int x) => Inner(x) * 10;
        }

        public sealed class Box<T>
        {
            private readonly T _value;
            public Box(T value) { _value = value; }
            public T Value => _value;
            public string Describe<U>(U extra) => "box " + _value + " " + extra;
        }

        public struct Counter
        {
            public int Count;
            public void Add(int n) { Count += n; }
        }

        public class Greeter
        {
            public string Greeting;
            public Greeter(string name) { Greeting = "hello " + name; }
        }

        public static class Hot
        {
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public static int Twice(int x) => x * 2;

            public static int SumTwice(int n) { int s = 0; for (int i = 0; i < n; i++) s += Twice(i); return s; }
        }

        public static class Api
        {
            public static string Describe(int value, string extra) => new Box<int>(value).Describe(extra);
            public static string DescribeText(string value, double extra) => new Box<string>(value).Describe(extra);
            public static int Count(int times) { var c = new Counter(); for (int i = 0; i < times; i++) c.Add(2); return c.Count; }
            public static string Greet(string name) => new Greeter(name).Greeting;
        }
        """;

    /// <summary>The original bodies, for the copies every hand-written patch carries.</summary>
    private static readonly Dictionary<string, string> Originals = new()
    {
        ["M:Probe.Box`1.Describe``1(``0)"] = "public static string Describe<T, U>(Probe.Box<T> self, U extra) => \"box \" + self.Value + \" \" + extra;",
        ["M:Probe.Counter.Add(System.Int32)"] = "public static void Add(ref Probe.Counter self, int n) { self.Count += n; }",
        ["M:Probe.Greeter.#ctor(System.String)"] = "public static void Ctor(Probe.Greeter self, string name) { self.Greeting = \"hello \" + name; }",
        ["M:Probe.Hot.Twice(System.Int32)"] = "public static int Twice(int x) => x * 2;",
    };

    public void Dispose() => RuntimeFixture.Settle(_engine);

    private static T Call<T>(ProbeBase probe, string method, params object[] args)
        => (T)probe.Assembly.GetType("Probe.Api")!.GetMethod(method)!.Invoke(null, args)!;

    // Both shapes of dispatch stub (docs/patch-sites.md, "The dispatch stubs" and "Steady stubs").
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GenericStructAndConstructorReplacementsTakeEffectAndRevert(bool steadyStubs)
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals, steadyStubs: steadyStubs);
        Assert.Equal("box 5 x", Call<string>(probe, "Describe", 5, "x"));
        Assert.Equal(6, Call<int>(probe, "Count", 3));
        Assert.Equal("hello ann", Call<string>(probe, "Greet", "ann"));

        _engine.Enable(probe.Patch("shapes-1", """
            [Replaces("M:Probe.Box`1.Describe``1(``0)")]
            public static string Describe<T, U>(Probe.Box<T> self, U extra) => "patched " + typeof(T).Name + "/" + typeof(U).Name + " " + self.Value + " " + extra;

            [Replaces("M:Probe.Counter.Add(System.Int32)")]
            public static void Add(ref Probe.Counter self, int n) { self.Count += n * 100; }

            [Replaces("M:Probe.Greeter.#ctor(System.String)")]
            public static void Ctor(Probe.Greeter self, string name) { self.Greeting = "hi " + name; }
            """));
        RuntimeFixture.WaitCompleted(_engine);

        Assert.Equal("patched Int32/String 5 x", Call<string>(probe, "Describe", 5, "x"));
        Assert.Equal("patched String/Double s 2.5", Call<string>(probe, "DescribeText", "s", 2.5));
        Assert.Equal(600, Call<int>(probe, "Count", 3));
        Assert.Equal("hi ann", Call<string>(probe, "Greet", "ann"));

        _engine.Disable("shapes-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal("box 5 x", Call<string>(probe, "Describe", 5, "x"));
        Assert.Equal(6, Call<int>(probe, "Count", 3));
        Assert.Equal("hello ann", Call<string>(probe, "Greet", "ann"));
        Assert.True(_engine.Unload("shapes-1", RuntimeFixture.Bound));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InlinedLeafIsStillRedirectedAfterTheCallerWasOptimized(bool steadyStubs)
    {
        // Twice is a leaf the JIT inlines into SumTwice once SumTwice is hot (tier 1); the site check is
        // inlined with it, so patching Twice still reaches callers compiled before the patch existed (with steady
        // stubs, through the copy of the steady stub inlined with the check).
        var probe = ProbeBase.CreateInstrumented(Source, Originals, steadyStubs: steadyStubs);
        var sum = probe.Assembly.GetType("Probe.Hot")!.GetMethod("SumTwice")!.CreateDelegate<Func<int, int>>();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 500; i++)
                Assert.Equal(90, sum(10));
            Thread.Sleep(200); // let tiered compilation promote the hot caller
        }
        _engine.Enable(probe.Patch("inlined-1", "[Replaces(\"M:Probe.Hot.Twice(System.Int32)\")] public static int Twice(int x) => x * 3;"));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(135, sum(10));
        _engine.Disable("inlined-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(90, sum(10));
    }

    [Fact]
    public void PatchForTheUninstrumentedBuildIsRefusedWithPG0005()
    {
        // The emitter must bind a patch to the instrumented build that runs: the MVID changes with instrumentation.
        var probe = ProbeBase.CreateInstrumented(Source, Originals);
        var original = probe.Assembly.GetCustomAttributes(typeof(PatchableAssemblyAttribute), false).Cast<PatchableAssemblyAttribute>().Single().OriginalModuleVersionId;
        var image = Compiler.Compile("stale_patch", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("stale-1", "{{probe.Name}}", "{{original}}")]
            public static class R { [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(object self, int x) => 0; }
            """);
        Assert.Equal("PG0005", Assert.Throws<PatchRuntimeException>(() => _engine.Enable(image)).DiagnosticId);
    }
}
