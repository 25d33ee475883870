using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatchGen.SourcePatching;

/// <summary>
/// Runs one real <c>dotnet build</c> and finds its output assembly. MSBuild itself reports the
/// output (<c>-getTargetResult:Build</c> returns the Build target's items, which are the
/// TargetPath), so custom OutputPath, AssemblyName or artifacts layouts need no guessing.
/// </summary>
internal static partial class DotnetBuild
{
    // Variables a parent MSBuild or test host sets for its own children; inherited, they point
    // the child build at the wrong SDK or make it skip restore.
    private static readonly string[] InheritedVariablePrefixes = { "MSBUILD", "MSBuild", "_MSBUILD" };

    /// <param name="sourceRoot">The copied tree the project is in; paths under it are rewritten to <paramref name="originalRoot"/> in messages and PDBs.</param>
    public static ProjectOutput Run(string projectPath, string sourceRoot, string originalRoot, string originalProject, string label, string logPath,
        ProjectPatchBuilderOptions options, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(DotnetExecutable(options))
        {
            WorkingDirectory = Path.GetDirectoryName(projectPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        var arguments = new List<string>
        {
            "build", projectPath,
            "-c", options.Configuration,
            "-nologo",
            "-tl:off",
            // A node left running would outlive the build and keep its work folder busy.
            "-nodeReuse:false",
            // Both copies compile as if from the original folder: [CallerFilePath] strings and PDB
            // paths are then the same in both builds and point at the user's own source files.
            "-p:PathMap=" + WithSeparator(sourceRoot) + "=" + WithSeparator(originalRoot),
            "-getProperty:TargetPath",
            // Set by the test SDKs (Microsoft.NET.Test.Sdk, MSTest, xunit.v3...): a test project's assembly is never a base.
            "-getProperty:IsTestProject",
            "-getTargetResult:Build",
            "-flp:logfile=" + logPath + ";verbosity=normal;encoding=utf-8",
        };
        if (options.TargetFramework is not null)
            arguments.AddRange(new[] { "-f", options.TargetFramework });
        arguments.AddRange(options.BuildArguments);
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

        var output = new StringBuilder();
        var errors = new StringBuilder();
        var watch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw SourcePatchError.Create(originalProject, $"cannot run '{start.FileName}' to build the {label} copy: {e.Message}", originalProject, inner: e);
        }

        using (process)
        {
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(errors, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();

            bool timedOut = false;
            while (!process.WaitForExit(250))
            {
                timedOut = watch.Elapsed > options.BuildTimeout;
                if (timedOut || cancellation.IsCancellationRequested)
                {
                    Kill(process);
                    break;
                }
            }
            process.WaitForExit(); // drains the asynchronous output readers

            string stdout, stderr;
            lock (output)
                stdout = output.ToString();
            lock (errors)
                stderr = errors.ToString();
            AppendConsole(logPath, start, stdout, stderr, process.HasExited ? process.ExitCode : -1);

            cancellation.ThrowIfCancellationRequested();
            if (timedOut)
                throw SourcePatchError.Create(originalProject, $"the build of the {label} copy did not finish within {options.BuildTimeout} and was stopped; log: {logPath}", originalProject);

            var (succeeded, items, isTest) = ParseResult(stdout);
            if (process.ExitCode == 0 && succeeded && items.Count == 1 && File.Exists(items[0]))
                return new ProjectOutput(projectPath, items[0], isTest);
            if (process.ExitCode == 0 && succeeded && items.Count > 1)
                throw SourcePatchError.Create(originalProject, $"the build produces {items.Count} assemblies (several target frameworks?); choose one with the TargetFramework option; log: {logPath}", originalProject);
            if (process.ExitCode == 0 && succeeded)
                throw SourcePatchError.Create(originalProject, $"the build of the {label} copy succeeded but reported no output assembly; log: {logPath}", originalProject);

            string first = FirstError(stdout, sourceRoot)
                ?? FirstError(ReadLog(logPath), sourceRoot)
                ?? stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0)
                ?? $"dotnet exited with code {process.ExitCode}";
            throw SourcePatchError.Create(originalProject, $"the {label} copy does not build: {first}; log: {logPath}", originalProject);
        }
    }

    private static string DotnetExecutable(ProjectPatchBuilderOptions options)
    {
        if (options.DotnetPath is not null)
            return options.DotnetPath;
        // Under dotnet test or dotnet run, the SDK names the host it runs on: use the same SDK.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return host is not null && File.Exists(host) ? host : "dotnet";
    }

    private static string WithSeparator(string path)
        => path.EndsWith(Path.DirectorySeparatorChar) ? path : path + Path.DirectorySeparatorChar;

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
            return;
        lock (builder)
            builder.Append(line).Append('\n');
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited by itself in the meantime.
        }
    }

    /// <summary>MSBuild's JSON answer to -getProperty/-getTargetResult: whether Build succeeded, its items (the output assemblies), and whether it is a test project.</summary>
    internal static (bool Succeeded, List<string> Items, bool IsTestProject) ParseResult(string stdout)
    {
        int start = stdout.StartsWith("{\n", StringComparison.Ordinal) ? 0 : stdout.IndexOf("\n{\n", StringComparison.Ordinal);
        if (start < 0)
            return (false, new List<string>(), false);
        try
        {
            using var json = JsonDocument.Parse(stdout[start..]);
            bool isTest = json.RootElement.TryGetProperty("Properties", out var properties)
                && properties.TryGetProperty("IsTestProject", out var flag)
                && string.Equals(flag.GetString(), "true", StringComparison.OrdinalIgnoreCase);
            if (!json.RootElement.TryGetProperty("TargetResults", out var results) || !results.TryGetProperty("Build", out var build))
                return (false, new List<string>(), isTest);
            bool succeeded = build.TryGetProperty("Result", out var result) && result.GetString() == "Success";
            var items = new List<string>();
            if (build.TryGetProperty("Items", out var array))
            {
                foreach (var item in array.EnumerateArray())
                {
                    if (item.TryGetProperty("FullPath", out var path) && path.GetString() is { Length: > 0 } value)
                        items.Add(value);
                }
            }
            return (succeeded, items, isTest);
        }
        catch (JsonException)
        {
            return (false, new List<string>(), false);
        }
    }

    [GeneratedRegex(@"^(?:\s*\d+>)?\s*(?<text>(?:(?<origin>[^\s].*?)\s*:\s*)?(?:[\w ]+\s+)?error\s+[A-Za-z]+\d+\s*:.*?)(?:\s+\[[^\]]*\])?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorLine();

    /// <summary>The first MSBuild-format error line, with the copy's paths made relative to the source root.</summary>
    internal static string? FirstError(string text, string sourceRoot)
    {
        foreach (var raw in text.Split('\n'))
        {
            var match = ErrorLine().Match(raw.TrimEnd('\r'));
            if (!match.Success)
                continue;
            string line = match.Groups["text"].Value;
            return line.Replace(WithSeparator(sourceRoot), "", StringComparison.Ordinal).Replace(sourceRoot, ".", StringComparison.Ordinal);
        }
        return null;
    }

    private static string ReadLog(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Adds the command and its console output after MSBuild's own log, so the log is the whole story.</summary>
    private static void AppendConsole(string logPath, ProcessStartInfo start, string stdout, string stderr, int exitCode)
    {
        try
        {
            var text = new StringBuilder()
                .Append("\n==== patchgen: ").Append(start.FileName).Append(' ').AppendJoin(' ', start.ArgumentList).Append('\n')
                .Append("==== exit code ").Append(exitCode).Append(", console output:\n").Append(stdout);
            if (stderr.Length > 0)
                text.Append("==== standard error:\n").Append(stderr);
            File.AppendAllText(logPath, text.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log is a help; the build result is what matters.
        }
    }
}
