using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PatchGen.Runtime.Control;

namespace PatchGen.Cli.Live;

/// <summary>
/// Finds the processes of this user that expose a control channel, as <c>dotnet-counters ps</c> finds
/// diagnostic ports: by the names the runtime gives its endpoints (docs/control-channel.md), sockets
/// <c>patchgen-&lt;pid&gt;.sock</c> in the control folder, or pipes <c>patchgen-&lt;pid&gt;</c> on Windows.
/// Each is opened with the checks <c>--pid</c> applies (folder, socket owner and mode, the kernel's peer
/// pid and uid); one that fails them is reported as refused and asked nothing.
/// </summary>
internal static partial class ControlChannels
{
    /// <summary>Per process: to connect, and for each of its answers.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The folder searched (the pipe namespace on Windows).</summary>
    public static string Where => OperatingSystem.IsWindows() ? @"\\.\pipe\" : ControlEndpoint.Directory;

    /// <summary>
    /// Every live process with a channel, by pid. A socket whose process is gone (a crash left it) is not a
    /// process and is left out. Throws <see cref="ControlChannelException"/> when the folder itself must not
    /// be trusted: whoever can write it could have put any socket there.
    /// </summary>
    public static IReadOnlyList<ControlledProcess> Survey()
    {
        var found = new List<ControlledProcess>();
        foreach (var (pid, endpoint) in Endpoints())
        {
            if (!ControlClient.ProcessExists(pid))
                continue;
            if (Describe(pid, endpoint) is { } process)
                found.Add(process);
        }
        return found;
    }

    private static IEnumerable<(int Pid, string Endpoint)> Endpoints()
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var pipe in Directory.GetFiles(@"\\.\pipe\"))
            {
                var name = Path.GetFileName(pipe);
                if (PipeName().Match(name) is { Success: true } match && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out int pid))
                    yield return (pid, name);
            }
            yield break;
        }
        var folder = ControlEndpoint.Directory;
        if (!Directory.Exists(folder) && new FileInfo(folder).LinkTarget is null)
            yield break; // no process of this user ever listened here
        if (ControlEndpoint.FindProblem(folder) is { } problem)
            throw new ControlChannelException($"refusing the control folder {folder}: it {problem}") { Refusal = true };
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            if (SocketName().Match(Path.GetFileName(path)) is { Success: true } match && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out int pid))
                yield return (pid, path);
        }
    }

    /// <summary>Null when nothing serves the endpoint any more (the process closed it, or the pid was reused).</summary>
    private static ControlledProcess? Describe(int pid, string endpoint)
    {
        var process = new ControlledProcess(pid, endpoint) { ProcessName = OsProcessName(pid) };
        ControlClient client;
        try
        {
            client = ControlClient.ConnectTo(pid, endpoint, Timeout);
        }
        catch (ControlChannelException e) when (e.NoChannel)
        {
            return null;
        }
        catch (ControlChannelException e)
        {
            return process with { Status = e.Refusal ? ControlledProcess.RefusedStatus : ControlledProcess.ErrorStatus, Reason = e.Message };
        }
        using (client)
        {
            try
            {
                var status = client.Send(new JsonObject { ["op"] = "status" });
                if (status["ok"]?.GetValue<bool>() != true)
                    return process with { Status = ControlledProcess.ErrorStatus, Reason = "status refused: " + status["error"]?["message"] };
                process = process with
                {
                    Patches = status["patches"]?.DeepClone() as JsonArray ?? new JsonArray(),
                    Transition = status["transition"]?.DeepClone() as JsonObject,
                };
                // Last: a runtime older than the 'process' op answers it with an error and closes the connection.
                var described = client.Send(new JsonObject { ["op"] = "process" });
                if (described["ok"]?.GetValue<bool>() != true)
                    return process;
                return process with
                {
                    ProcessName = described["processName"]?.GetValue<string>() ?? process.ProcessName,
                    EntryAssembly = described["entryAssembly"]?.GetValue<string>(),
                    Assemblies = (described["assemblies"] as JsonArray ?? new JsonArray()).Select(a => a?.GetValue<string>()).OfType<string>().ToArray(),
                };
            }
            catch (Exception e) when (e is ControlChannelException or InvalidOperationException or FormatException)
            {
                // A broken connection, or a field of the wrong type: this process's answer is unusable, not the survey.
                return process with { Status = ControlledProcess.ErrorStatus, Reason = e.Message };
            }
        }
    }

    private static string? OsProcessName(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^patchgen-(\d{1,10})\.sock$")]
    private static partial Regex SocketName();

    [GeneratedRegex(@"^patchgen-(\d{1,10})$")]
    private static partial Regex PipeName();
}
