using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Cli.Demo;

/// <summary>
/// The sample service running as its own process, as in production: <c>dotnet ShopService.dll serve 0</c>
/// with PatchGen's runtime loaded as a startup hook (no code change in the service), which opens the
/// control channel. Stopped (and waited for) on dispose.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <param name="environment">More variables for the service (for example PATCHGEN_TRUSTED_KEYS).</param>
    /// <param name="patchable">False for the plain build: no startup hook, no runtime settings (the throughput baseline).</param>
    public static ServiceProcess Start(string assemblyPath, string? controlDirectory, IReadOnlyDictionary<string, string>? environment = null, bool patchable = true)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("0");
        if (patchable)
        {
            start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(Path.GetDirectoryName(assemblyPath)!, PatchGen.Diagnostics.RuntimeNames.AssemblyName + ".dll");
            // The JIT keeps its inline trees only with this set; with them a thread looping in code that inlined a
            // changed function can still switch (docs/consistency-model.md, "Inlining").
            start.Environment["DOTNET_RichDebugInfo"] = "1";
        }
        if (controlDirectory is not null)
            start.Environment["PATCHGEN_CONTROL_DIR"] = controlDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        _ = process.StandardError.ReadToEndAsync();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result is not { } line || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            Kill(process);
            throw new InvalidOperationException("the service did not start listening within 30 s");
        }
        _ = process.StandardOutput.ReadToEndAsync();
        int port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return new ServiceProcess(process, port);
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
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
            // Already gone.
        }
    }
}
