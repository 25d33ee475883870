using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace PatchGen.Emit.Tests;

/// <summary>
/// The call chains of <see cref="InlineCloneStressTests"/>: a base instrumented as shipped (site format 4, inline
/// clones), its fixed versions for the emitter, and the threads that run the chains.
///
/// Version k of the source (k = 0 is the base) differs from the base only in <c>Leaf</c>, <c>Probe</c> and
/// <c>Root</c>, which return k: those are the versioned functions, and every call chain checks that all the
/// versioned functions it reaches are of one version. <c>Leaf</c> is small, so the instrumenter clones it, and
/// <c>Middle</c>, <c>Outer</c>, <c>Batch</c> and <c>Hold</c> (unchanged in every version) run its clone, inlined
/// without a check: <c>Middle</c> and <c>Batch</c> call it directly, <c>Outer</c>, <c>Batch</c> and <c>Hold</c>
/// through <c>Middle</c>'s clone (a clone calling a clone). The emitter must replace all four with the base's own
/// body, which calls <c>Leaf</c> through its site; if it leaves one out, a chain through it reads the base's
/// <c>Leaf</c> (0) beside a patched <c>Probe</c>. <c>Probe</c> is <c>NoInlining</c> (no clone) and is reached only
/// through its site, so within one chain the two can only agree if the consistency rule holds for the callers too.
/// The unchanged callers have no version of their own (every patch carries the base's body for them): a chain
/// through one is mixed when the versioned functions it reaches disagree, and <c>Root</c>, whose own version is k,
/// counts a chain in which it reaches any other.
/// </summary>
internal sealed class CloneChains
{
    /// <summary>The base: every <c>/*version*/0</c> is replaced by k in version k.</summary>
    private const string Template = """
        using System.Runtime.CompilerServices;
        using System.Threading;
        namespace CloneStress;

        public static class Chains
        {
            public static long Mixed;
            public static string? LastMixed;
            public static readonly ManualResetEventSlim Parked = new(false);
            public static readonly ManualResetEventSlim Gate = new(false);

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void Mix(string what) { Interlocked.Increment(ref Mixed); LastMixed = what + " on " + Thread.CurrentThread.Name; }

            // Versioned, small: cloned, and its clone inlined without a check into its callers here.
            public static int Leaf() => /*version*/0;

            // Unchanged and cloned: a direct caller of Leaf's clone; its own clone calls Leaf's too.
            public static int Middle() => Leaf();

            // Versioned, reached only through its site (NoInlining: no clone).
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Probe() => /*version*/0;

            // Unchanged: runs Leaf only inside Middle's clone; Leaf, then Probe, in one activation.
            public static int Outer() { int leaf = Middle(); Thread.SpinWait(40); return leaf * 1000 + Probe(); }

            // Versioned, no clone (NoInlining): the root of a chain, checking every version it sees against its own.
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static int Root()
            {
                int outer = Outer();
                int leaf = Leaf();
                int probe = Probe();
                if (outer != /*version*/0 * 1001 || leaf != /*version*/0 || probe != /*version*/0)
                    Mix("Root " + /*version*/0 + " saw Leaf " + outer / 1000 + " and Probe " + outer % 1000 + " in Outer, then Leaf " + leaf + ", Probe " + probe);
                return /*version*/0;
            }

            // Unchanged, a long activation: Leaf's clone directly and through Middle's, Probe through its site.
            // One chain: counted once however many of its iterations mix.
            public static int Batch(int n)
            {
                int first = Leaf();
                string? mixed = null;
                for (int i = 0; i < n; i++)
                {
                    int leaf = Middle();
                    int probe = Probe();
                    if (leaf != first || probe != first)
                        mixed ??= "Batch saw Leaf " + first + ", then Leaf " + leaf + " and Probe " + probe;
                }
                if (mixed != null)
                    Mix(mixed);
                return first;
            }

            // Unchanged: reads Leaf through Middle's clone, parks until Gate is set, then, if asked, reads Probe.
            public static int Hold(bool probeAfter)
            {
                int leaf = Middle();
                Parked.Set();
                Gate.Wait();
                if (probeAfter)
                {
                    int probe = Probe();
                    if (probe != leaf)
                        Mix("Hold saw Leaf " + leaf + ", then Probe " + probe);
                }
                return leaf;
            }
        }
        """;

    public const string HoldId = "M:CloneStress.Chains.Hold(System.Boolean)";

    public const string HoldThreadName = "clone-hold";

    /// <summary>The methods the emitter must replace only because they run Leaf's clone, unchanged.</summary>
    public static readonly string[] Carried = ["M:CloneStress.Chains.Batch(System.Int32)", HoldId, "M:CloneStress.Chains.Middle", "M:CloneStress.Chains.Outer"];

    /// <summary>Every method a patch replaces: the versioned ones and <see cref="Carried"/>.</summary>
    public static readonly string[] Functions = ["Batch", "Hold", "Leaf", "Middle", "Outer", "Probe", "Root"];

    private readonly Type _chains;
    private readonly Func<int> _root;
    private readonly Func<int> _outer;
    private readonly Func<int, int> _batch;
    private readonly Func<bool, int> _hold;
    private long _outerMixed;
    private string? _outerMixedFirst;
    private readonly ConcurrentDictionary<int, byte> _seen = new();
    private readonly List<Thread> _workers = [];
    private volatile bool _stopping;
    private long _chainCount;
    private Thread? _holder;

    public CloneChains(Assembly live)
    {
        _chains = live.GetType("CloneStress.Chains", throwOnError: true)!;
        _root = Method("Root").CreateDelegate<Func<int>>();
        _outer = Method("Outer").CreateDelegate<Func<int>>();
        _batch = Method("Batch").CreateDelegate<Func<int, int>>();
        _hold = Method("Hold").CreateDelegate<Func<bool, int>>();
    }

    public static string Source(int version) => Template.Replace("/*version*/0", version.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public MethodInfo Method(string name) => _chains.GetMethod(name)!;

    /// <summary>Mixed chains counted so far: by the versioned code itself, and by the workers calling Outer.</summary>
    public long Mixed => (long)_chains.GetField("Mixed")!.GetValue(null)! + Interlocked.Read(ref _outerMixed);

    /// <summary>The first mixed chain the Outer worker saw and the last the versioned code counted.</summary>
    public string Examples => string.Join("; ", new[] { Volatile.Read(ref _outerMixedFirst), (string?)_chains.GetField("LastMixed")!.GetValue(null) }.OfType<string>());

    public long Chains => Interlocked.Read(ref _chainCount);

    /// <summary>The versions the workers' chains ran.</summary>
    public IReadOnlyCollection<int> Seen => _seen.Keys.Order().ToList();

    /// <summary>The version a chain started now runs (the calling thread switches itself first, its stack being clear).</summary>
    public int Root() => _root();

    /// <summary>
    /// Starts the busy threads, each entering the chains through a site, as code of another assembly would: two at
    /// <c>Root</c>, one at <c>Outer</c> (a replaced caller is its outermost function of the patch), one in
    /// <c>Batch</c>'s long activations.
    /// </summary>
    public void Start()
    {
        Add("clone-root-0", () => _seen.TryAdd(_root(), 0));
        Add("clone-root-1", () => _seen.TryAdd(_root(), 0));
        Add("clone-outer", () =>
        {
            int answer = _outer();
            int leaf = answer / 1000, probe = answer % 1000;
            if (leaf != probe && Interlocked.Increment(ref _outerMixed) == 1)
                _outerMixedFirst = $"Outer saw Leaf {leaf}, Probe {probe} on clone-outer";
            _seen.TryAdd(probe, 0);
        });
        Add("clone-batch", () => _seen.TryAdd(_batch(200), 0));
        _workers.ForEach(w => w.Start());
    }

    private void Add(string name, Action chain) => _workers.Add(new Thread(() =>
    {
        while (!_stopping)
        {
            chain();
            Interlocked.Increment(ref _chainCount);
        }
    }) { IsBackground = true, Name = name });

    /// <summary>Stops the busy threads and releases a parked one; true when all of them returned.</summary>
    public bool Stop()
    {
        _stopping = true;
        Gate.Set();
        bool joined = _workers.All(w => w.Join(TimeSpan.FromSeconds(30)));
        return (_holder?.Join(TimeSpan.FromSeconds(30)) ?? true) && joined;
    }

    /// <summary>
    /// Starts a thread that enters <c>Hold</c> through its site and parks inside it (in whatever generation it runs
    /// now); with <paramref name="probeAfter"/> it calls Probe when released and counts a mix, without it it calls
    /// nothing more (the case force is for: PG4002 warns that a forced thread may mix).
    /// </summary>
    public void Park(bool probeAfter)
    {
        Parked.Reset();
        Gate.Reset();
        _holder = new Thread(() => _hold(probeAfter)) { IsBackground = true, Name = HoldThreadName };
        _holder.Start();
        Assert.True(Parked.Wait(TimeSpan.FromSeconds(30)), "the holding thread never reached Hold");
    }

    public Thread? Holder => _holder;

    public void Release()
    {
        Gate.Set();
        Assert.True(_holder!.Join(TimeSpan.FromSeconds(30)), "the holding thread did not return");
        _holder = null;
    }

    private ManualResetEventSlim Parked => (ManualResetEventSlim)_chains.GetField("Parked")!.GetValue(null)!;

    private ManualResetEventSlim Gate => (ManualResetEventSlim)_chains.GetField("Gate")!.GetValue(null)!;
}
