using System.Diagnostics;

namespace PatchGen.Macro.Web;

/// <summary>
/// One build of the web app running as its own process (<c>dotnet App.dll --urls http://127.0.0.1:0</c>), as in
/// production; the port is the one it prints once it serves. Disposing stops it.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string name, string appDll, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
            start.Environment[variable] = value;
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + appDll);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("LISTENING ", StringComparison.Ordinal) == true)
                listening.TrySetResult(e.Data["LISTENING ".Length..].Trim());
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                errors.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{name} did not start listening within 60 s: {string.Join('\n', errors)}");
        }
        return new ServerProcess(name, process, new Uri(listening.Task.Result));
    }

    /// <summary>User + system CPU time of the server so far (clock-tick resolution).</summary>
    public long CpuNanoseconds() => CpuClock.ProcessNanoseconds(_process.Id);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
