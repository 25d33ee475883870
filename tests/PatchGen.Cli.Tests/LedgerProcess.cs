using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Cli.Tests;

/// <summary>
/// testdata/apps/LedgerApp in <c>watch</c> mode as a child process, with the runtime as a startup hook:
/// commands on its standard input (<c>GO</c>, <c>STATS</c>), answers read line by line from its output,
/// every wait bounded.
/// </summary>
internal sealed class LedgerProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();

    private LedgerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _lines.Add(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string PidText => Pid.ToString(CultureInfo.InvariantCulture);

    public bool HasExited => _process.HasExited;

    /// <param name="environment">More environment variables (the patch directory, say).</param>
    public static LedgerProcess Start(string appAssembly, int workers, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(appAssembly);
        start.ArgumentList.Add("watch");
        start.ArgumentList.Add(workers.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(Path.GetDirectoryName(appAssembly)!, PatchGen.Diagnostics.RuntimeNames.AssemblyName + ".dll");
        start.Environment["DOTNET_RichDebugInfo"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var ledger = new LedgerProcess(Process.Start(start)!);
        ledger.Expect("READY");
        return ledger;
    }

    /// <summary>Sends <c>GO</c>: the workers load Ledger.Format and run the whole call chain from now on.</summary>
    public void Go()
    {
        Send("GO");
        Expect("GOING");
    }

    public LedgerStats Stats()
    {
        Send("STATS");
        return LedgerStats.Parse(Expect("STATS "));
    }

    /// <summary>Polls the counts until <paramref name="condition"/> holds; fails after a minute.</summary>
    public LedgerStats WaitFor(Func<LedgerStats, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = Stats();
            if (condition(stats))
                return stats;
            Assert.True(clock.Elapsed < Patience, "timed out; last " + stats);
            Thread.Sleep(50);
        }
    }

    private void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    private string Expect(string prefix)
    {
        while (_lines.TryTake(out var line, Patience))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line;
        }
        throw new TimeoutException($"the ledger app did not answer '{prefix}' (exited: {_process.HasExited})");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("QUIT");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                    _process.Kill(entireProcessTree: true);
            }
        }
        catch (IOException)
        {
            // It exited while we were telling it to.
        }
        _process.Dispose();
        _lines.Dispose();
    }
}

/// <summary>One <c>STATS</c> line of the ledger app: its answers by kind, and the first answer that was neither v1 nor the fix.</summary>
internal sealed record LedgerStats(long CalcV1, long CalcV2, long V1, long V2, long Mixed, long Errors, string First)
{
    public static LedgerStats Parse(string line)
    {
        var fields = line["STATS ".Length..].Split(' ', 7)
            .Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        long Count(string name) => long.Parse(fields[name], CultureInfo.InvariantCulture);
        return new LedgerStats(Count("calcV1"), Count("calcV2"), Count("v1"), Count("v2"), Count("mixed"), Count("errors"), fields["first"]);
    }
}
