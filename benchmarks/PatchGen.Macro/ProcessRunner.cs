using System.Diagnostics;

namespace PatchGen.Macro;

/// <summary>Runs a command to completion, capturing its output; a failure is an exception with the output in it.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
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
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and requires exit code 0.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var result = Run(fileName, args, workingDirectory);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>
    /// The patchgen CLI exactly as the README runs it (<c>dotnet run --project src/PatchGen.Cli -c Release --</c>),
    /// so the harness exercises the same entry point a user does.
    /// </summary>
    public static string Patchgen(params string[] arguments)
        => RunChecked("dotnet", ["run", "--project", HarnessPaths.CliProject, "-c", "Release", "--", .. arguments]);
}
