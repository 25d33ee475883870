using System.Globalization;
using System.Runtime.CompilerServices;

namespace Ledger.App;

/// <summary>
/// Entry point. Modes:
/// <list type="bullet">
/// <item><c>line PRINCIPAL BASISPOINTS</c>: print the statement's interest line once.</item>
/// <item><c>watch [WORKERS]</c>: the process a multi-assembly patch is applied to. Workers call
/// Ledger.Calc only (Ledger.Format is not loaded yet) until a <c>GO</c> line on standard input; from then
/// on they call <c>Statement.InterestLine</c>, which calls Ledger.Calc, and classify every answer as the
/// v1 line, the line of the fix in fixes/ (both libraries changed), or MIXED (one library's half of the
/// fix without the other's). <c>STATS</c> prints the counts, <c>QUIT</c> (or end of input) stops.</item>
/// </list>
/// The expected lines are computed here, in the app, which no fix changes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "line")
        {
            Console.WriteLine(Chains.Line(long.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture)));
            return 0;
        }
        if (args.Length >= 1 && args[0] == "watch")
            return Watch(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4);
        Console.Error.WriteLine("usage: Ledger.App [line PRINCIPAL BASISPOINTS | watch [WORKERS]]");
        return 2;
    }

    private static int Watch(int workers)
    {
        var counts = new Counts();
        var stop = new CancellationTokenSource();
        var threads = new List<Thread>();
        for (int i = 0; i < workers; i++)
        {
            int seed = i;
            var thread = new Thread(() => CalcOnly(seed, counts, stop.Token)) { IsBackground = true, Name = "calc-" + i };
            thread.Start();
            threads.Add(thread);
        }
        Console.WriteLine("READY");
        string? command;
        while ((command = Console.ReadLine()) is not null && command != "QUIT")
        {
            switch (command)
            {
                case "GO":
                    counts.Chains = true;
                    Chains.Start(workers, counts, stop.Token, threads);
                    Console.WriteLine("GOING");
                    break;
                case "STATS":
                    Console.WriteLine(counts.ToString());
                    break;
            }
        }
        stop.Cancel();
        foreach (var thread in threads)
            thread.Join();
        return 0;
    }

    /// <summary>Before GO: only Ledger.Calc, whose answer is the v1 one or the fix's.</summary>
    private static void CalcOnly(int seed, Counts counts, CancellationToken stop)
    {
        for (long i = seed; !stop.IsCancellationRequested && !counts.Chains; i += 7)
        {
            var (principal, basisPoints) = Expected.Input(i);
            long value = Ledger.Calc.Interest.Yearly(principal, basisPoints);
            if (value == Expected.V1Units(principal, basisPoints))
                Interlocked.Increment(ref counts.CalcV1);
            else if (value == Expected.V2Cents(principal, basisPoints))
                Interlocked.Increment(ref counts.CalcV2);
            else
                Interlocked.Increment(ref counts.Errors);
        }
    }
}

/// <summary>Everything that uses Ledger.Format: compiled (and the library loaded) only once GO arrives.</summary>
internal static class Chains
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Start(int workers, Counts counts, CancellationToken stop, List<Thread> threads)
    {
        for (int i = 0; i < workers; i++)
        {
            int seed = i;
            var thread = new Thread(() => Run(seed, counts, stop)) { IsBackground = true, Name = "chain-" + i };
            thread.Start();
            threads.Add(thread);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Line(long principal, int basisPoints) => Ledger.Format.Statement.InterestLine(principal, basisPoints);

    private static void Run(int seed, Counts counts, CancellationToken stop)
    {
        for (long i = seed; !stop.IsCancellationRequested; i += 7)
        {
            var (principal, basisPoints) = Expected.Input(i);
            string line;
            try
            {
                line = Ledger.Format.Statement.InterestLine(principal, basisPoints);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref counts.Errors);
                counts.Note(e.GetType().Name + ": " + e.Message);
                continue;
            }
            if (line == Expected.V1Line(principal, basisPoints))
                Interlocked.Increment(ref counts.V1);
            else if (line == Expected.V2Line(principal, basisPoints))
                Interlocked.Increment(ref counts.V2);
            else
            {
                Interlocked.Increment(ref counts.Mixed);
                counts.Note($"{principal} at {basisPoints}: '{line}'");
            }
        }
    }
}

/// <summary>What each build answers: v1 truncates to whole units; the fix computes cents, rounded half up, and prints them.</summary>
internal static class Expected
{
    public static (long Principal, int BasisPoints) Input(long i) => (1000 + i % 50000 * 7, 125 + (int)(i % 7) * 50);

    public static long V1Units(long principal, int basisPoints) => principal * basisPoints / 10000;

    public static long V2Cents(long principal, int basisPoints) => (principal * basisPoints + 50) / 100;

    public static string V1Line(long principal, int basisPoints)
        => string.Create(CultureInfo.InvariantCulture, $"{V1Units(principal, basisPoints)} EUR");

    public static string V2Line(long principal, int basisPoints)
    {
        long cents = V2Cents(principal, basisPoints);
        return string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{cents % 100:00} EUR");
    }
}

/// <summary>The answers counted so far, and the first few that were neither v1 nor the fix.</summary>
internal sealed class Counts
{
    public long CalcV1, CalcV2, V1, V2, Mixed, Errors;
    public volatile bool Chains;
    private string? _first;

    public void Note(string what) => Interlocked.CompareExchange(ref _first, what, null);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"STATS calcV1={Interlocked.Read(ref CalcV1)} calcV2={Interlocked.Read(ref CalcV2)} v1={Interlocked.Read(ref V1)} v2={Interlocked.Read(ref V2)} mixed={Interlocked.Read(ref Mixed)} errors={Interlocked.Read(ref Errors)} first={_first ?? "-"}");
}
