using System.Diagnostics;

namespace PatchGen.Corpus.Run;

/// <summary>Runs a command to completion, capturing its output (stdout and stderr apart).</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => StandardOutput + StandardError;
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The libraries' builds must not see this process's MSBuild settings (a harness started by dotnet run).
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
            start.Environment.Remove(key);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and requires exit code 0; returns stdout.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var result = Run(fileName, args, workingDirectory);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}");
        return result.StandardOutput;
    }
}
