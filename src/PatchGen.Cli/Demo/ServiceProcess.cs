using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Cli.Demo;

/// <summary>
/// The sample service running as its own process, as in production: <c>dotnet ShopService.dll serve 0</c>
/// (or the web sample, <c>dotnet WebShop.Web.dll --urls http://127.0.0.1:0</c>) with PatchGen's runtime
/// loaded as a startup hook (no code change in the service), which opens the control channel. Either
/// prints <c>LISTENING &lt;host&gt;:&lt;port&gt;</c> once it serves. Stopped (and waited for) on dispose.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;

    /// <summary>The arguments that start the web sample on a port the OS picks, on loopback only.</summary>
    public static readonly IReadOnlyList<string> WebArguments = new[] { "--urls", "http://127.0.0.1:0" };

    private static readonly IReadOnlyList<string> LineServerArguments = new[] { "serve", "0" };

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>The web sample's address (for a web app started with <see cref="WebArguments"/>).</summary>
    public Uri BaseAddress => new("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture));

    public bool HasExited => _process.HasExited;

    /// <param name="environment">More variables for the service (for example PATCHGEN_TRUSTED_KEYS).</param>
    /// <param name="patchable">False for the plain build: no startup hook, no runtime settings (the throughput baseline).</param>
    /// <param name="arguments">The app's arguments: ShopService's <c>serve 0</c> unless given (<see cref="WebArguments"/> for the web sample).</param>
    public static ServiceProcess Start(string assemblyPath, string? controlDirectory, IReadOnlyDictionary<string, string>? environment = null, bool patchable = true, IReadOnlyList<string>? arguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments ?? LineServerArguments)
            start.ArgumentList.Add(argument);
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
        if (ReadyLine(process, TimeSpan.FromSeconds(60)) is not { } line)
        {
            Kill(process);
            throw new InvalidOperationException("the service did not start listening within 60 s");
        }
        _ = process.StandardOutput.ReadToEndAsync();
        int port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return new ServiceProcess(process, port);
    }

    /// <summary>The <c>LISTENING</c> line, skipping what the app logs before it (a web host may warn first); null when it does not come in time.</summary>
    private static string? ReadyLine(Process process, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var next = process.StandardOutput.ReadLineAsync();
            if (!next.Wait(Max(TimeSpan.Zero, timeout - deadline.Elapsed)) || next.Result is not { } line)
                return null;
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                return line;
        }
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // Disposed twice by the demo: once when it no longer needs the plain build, again on its way out.
    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
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
