using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PatchGen.Runtime.Control;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// <see cref="ServedApp"/> running as a child process with the runtime as its startup hook and a patch
/// directory: what its first call answered, the tally of every answer its threads got since, its
/// standard error (where the directory logs), and its control channel (for the runtime's own view).
/// Every wait is bounded; the process is killed on dispose.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ServedProcess : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly BlockingCollection<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _controlFolder;

    private ServedProcess(Process process, string controlFolder)
    {
        _process = process;
        _controlFolder = controlFolder;
        var reader = new Thread(() =>
        {
            try
            {
                while (process.StandardOutput.ReadLine() is { } line)
                    _stdout.Add(line);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
            _stdout.CompleteAdding();
        }) { IsBackground = true, Name = "served stdout" };
        reader.Start();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _stderr.Enqueue(e.Data);
        };
        process.BeginErrorReadLine();
        First = Line("first ")["first ".Length..];
        Line("ready");
    }

    /// <summary>What the application's first call of all answered, before any thread started.</summary>
    public string First { get; }

    public int Pid => _process.Id;

    /// <summary>Standard error so far: the directory's log lines.</summary>
    public string StandardError => string.Join("\n", _stderr);

    /// <param name="patchFolder">PATCHGEN_PATCH_DIR, or null for none.</param>
    /// <param name="environment">More variables (PATCHGEN_TRUSTED_KEYS).</param>
    /// <param name="startupHook">False: no startup hook, so no control channel either; only what the application's patchable module starts.</param>
    /// <param name="appFolder">A copy of <see cref="ServedApp.Folder"/> to run instead (with its own runtimeconfig).</param>
    public static ServedProcess Start(string? patchFolder, IReadOnlyDictionary<string, string>? environment = null, bool startupHook = true, string? appFolder = null)
    {
        var app = ServedApp.Get();
        var folder = appFolder ?? app.Folder;
        var controlFolder = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("served-control"), "c");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, ServedApp.AssemblyName + ".dll"));
        if (startupHook)
            start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(folder, "PatchGen.Runtime.dll");
        start.Environment["DOTNET_RichDebugInfo"] = "1";
        start.Environment["PATCHGEN_CONTROL_DIR"] = controlFolder;
        start.Environment.Remove("PATCHGEN_PATCH_DIR");
        if (patchFolder is not null)
            start.Environment["PATCHGEN_PATCH_DIR"] = patchFolder;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        try
        {
            return new ServedProcess(process, controlFolder);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>How many times each answer was served so far.</summary>
    public IReadOnlyDictionary<string, long> Tally()
    {
        _process.StandardInput.WriteLine("tally");
        _process.StandardInput.Flush();
        var line = Line("tally")["tally".Length..].Trim();
        var tally = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in line.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = entry.LastIndexOf('=');
            tally[entry[..equals]] = long.Parse(entry[(equals + 1)..], CultureInfo.InvariantCulture);
        }
        return tally;
    }

    /// <summary>Makes the application load Served.Late (by path, or through the JIT) and call it once; returns what it answered.</summary>
    public string LoadLate(bool throughTheJit = false)
    {
        _process.StandardInput.WriteLine(throughTheJit ? "late-jit" : "late");
        _process.StandardInput.Flush();
        return Line("late ")["late ".Length..];
    }

    public long Count(string answer) => Tally().GetValueOrDefault(answer);

    /// <summary>Waits until <paramref name="answer"/> has been served <paramref name="more"/> more times than now.</summary>
    public void WaitForAnswers(string answer, long more = 200)
    {
        long target = Count(answer) + more;
        WaitUntil(() => Count(answer) >= target, $"'{answer}' served {more} more times");
    }

    public void WaitForLog(string fragment) => WaitUntil(() => StandardError.Contains(fragment, StringComparison.Ordinal), $"a log line with '{fragment}'");

    public void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout || _process.HasExited)
                throw new Xunit.Sdk.XunitException($"{(_process.HasExited ? "the process exited" : "timed out")} waiting for {what}; tally: {TallyText()}\nstderr:\n{StandardError}");
            Thread.Sleep(50);
        }
    }

    /// <summary>No request ever saw a version of Answer with another version of Part.</summary>
    public void AssertNeverMixed()
    {
        var tally = Tally();
        Assert.True(tally.Keys.All(ServedApp.IsConsistent), "mixed answers: " + TallyText(tally) + "\nstderr:\n" + StandardError);
    }

    /// <summary>The runtime's own status, through the process's control channel.</summary>
    public JsonObject Status()
    {
        using var client = ControlClient.ConnectTo(Pid, ControlEndpoint.SocketPath(_controlFolder, Pid), IoTimeout);
        return AssertOk(client.Send(Request("status")));
    }

    /// <summary>Patch ID to state, as the runtime sees them.</summary>
    public IReadOnlyDictionary<string, string> PatchStates()
        => Status()["patches"]!.AsArray().OfType<JsonObject>().ToDictionary(p => p["id"]!.GetValue<string>(), p => p["state"]!.GetValue<string>());

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private string TallyText(IReadOnlyDictionary<string, long>? tally = null)
    {
        try
        {
            return string.Join("; ", (tally ?? Tally()).Select(t => t.Key + "=" + t.Value));
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or IOException or InvalidOperationException)
        {
            return "(none)";
        }
    }

    private string Line(string prefix)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || !_stdout.TryTake(out var line, left))
                throw new Xunit.Sdk.XunitException($"no '{prefix}' line from the application; stderr:\n{StandardError}");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
                return line;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
