using System.Diagnostics;

namespace PatchGen.Cli.Tests;

/// <summary>Runs the CLI in-process (fast) or as a real process (to prove what a user's shell sees).</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Outcome Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = PatchGenCommandLine.Run(args, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>dotnet patchgen.dll</c>, the tool exactly as installed, in a child process.</summary>
    public static Outcome RunProcess(params string[] args) => RunProcessIn(Environment.CurrentDirectory, args);

    /// <summary>As <see cref="RunProcess"/>, from another working directory.</summary>
    public static Outcome RunProcessIn(string workingDirectory, params string[] args)
        => RunProcessWith(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunProcess"/>, with more environment variables (PATCHGEN_CONTROL_DIR, say, which the in-process CLI would share with every test).</summary>
    public static Outcome RunProcessWith(IReadOnlyDictionary<string, string> environment, params string[] args)
        => RunProcessWith(Environment.CurrentDirectory, environment, args);

    private static Outcome RunProcessWith(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "patchgen.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("patchgen did not exit: " + string.Join(' ', args));
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }
}
