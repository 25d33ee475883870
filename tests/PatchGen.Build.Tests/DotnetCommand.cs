using System.Diagnostics;
using System.Text;

namespace PatchGen.Build.Tests;

/// <summary>One finished run of the <c>dotnet</c> host: its exit code and everything it printed.</summary>
internal sealed record DotnetResult(string CommandLine, int ExitCode, string Output)
{
    public override string ToString() => $"> {CommandLine}\nexit code {ExitCode}\n{Output}";
}

/// <summary>
/// Runs <c>dotnet</c> as a user would, in a clean environment: none of the MSBuild variables of the
/// test host (which would point the child at this build's SDK state), a private NuGet package folder,
/// no node left running afterwards, and a deadline after which the whole process tree is killed.
/// </summary>
internal static class DotnetCommand
{
    private static readonly string[] InheritedVariablePrefixes = { "MSBUILD", "MSBuild", "_MSBUILD", "DOTNET_HOST_PATH", "NUGET_" };

    public static DotnetResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (InheritedVariablePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        var commandLine = "dotnet " + string.Join(' ', arguments);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{commandLine}' did not finish within {timeout}; output so far:\n{Text(output)}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        return new DotnetResult(commandLine, process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.Append(line).Append('\n');
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
