using System.Security.Cryptography;
using System.Text.Json;

namespace PatchGen.Corpus.Run;

/// <summary>
/// The built <c>patchgen</c> CLI, run as a user runs it (<c>dotnet patchgen.dll ...</c>, one process per command):
/// by default this checkout's src/PatchGen.Cli, built once in Release.
/// </summary>
internal sealed class PatchgenCli
{
    private PatchgenCli(string dll)
    {
        Dll = dll;
        var folder = Path.GetDirectoryName(dll)!;
        InstrumenterFingerprint = Fingerprint([Path.Combine(folder, "PatchGen.Instrumentation.dll")]);
        ToolFingerprint = Fingerprint(Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal));
    }

    public string Dll { get; }

    /// <summary>Names the instrumenter, so instrumented bases are cached per instrumenter build.</summary>
    public string InstrumenterFingerprint { get; }

    /// <summary>Names the whole tool (every assembly beside it), so diff and build results are cached per tool build.</summary>
    public string ToolFingerprint { get; }

    private static string Fingerprint(IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
            hash.AppendData(File.ReadAllBytes(file));
        return Convert.ToHexString(hash.GetHashAndReset())[..12].ToLowerInvariant();
    }

    public static PatchgenCli Locate(string? dll)
    {
        if (dll is not null)
            return new PatchgenCli(dll);
        var project = Path.Combine(CorpusOptions.RepoRoot, "src", "PatchGen.Cli", "PatchGen.Cli.csproj");
        ProcessRunner.RunChecked("dotnet", ["build", project, "-c", "Release", "-m:1", "-nologo", "-v:q"]);
        return new PatchgenCli(Path.Combine(CorpusOptions.RepoRoot, "src", "PatchGen.Cli", "bin", "Release", "net10.0", "patchgen.dll"));
    }

    public ProcessRunner.Result Run(string workingDirectory, params string[] arguments)
        => ProcessRunner.Run("dotnet", [Dll, .. arguments], workingDirectory, TimeSpan.FromMinutes(10));

    /// <summary>
    /// A diff or build run whose exit code and output are kept under <c>results/&lt;tool&gt;/&lt;key&gt;</c>: the
    /// same tool on the same pair gives the same answer, so a rerun reads it, and a changed tool runs again.
    /// </summary>
    private ProcessRunner.Result RunCached(string workRoot, string key, params string[] arguments)
    {
        var file = Path.Combine(workRoot, "results", ToolFingerprint, key);
        if (File.Exists(file))
        {
            var lines = File.ReadAllText(file).Split('\u001e');
            return new ProcessRunner.Result(int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), lines[1], lines[2]);
        }
        var result = Run(workRoot, arguments);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Join('\u001e', result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), result.StandardOutput, result.StandardError));
        return result;
    }

    /// <summary>The v1 build made patchable, cached under the work folder; null with the output when it failed.</summary>
    public (string? Path, string Output) Instrument(string assembly, string workRoot, string library, string sha)
    {
        var folder = Path.Combine(workRoot, "instrumented", InstrumenterFingerprint, library, sha);
        var output = Path.Combine(folder, Path.GetFileName(assembly));
        var done = Path.Combine(folder, "done");
        if (File.Exists(done))
            return (output, "");
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        // The library's dependencies beside it, as in the application that runs it.
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(assembly)!))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.Delete(output);
        var result = Run(workRoot, "instrument", assembly, "-o", output);
        if (result.ExitCode != 0)
            return (null, result.Output);
        File.WriteAllText(done, result.Output);
        return (output, result.Output);
    }

    /// <summary><c>patchgen diff --json --model M</c>: the exit code and the report's diagnostics.</summary>
    public DiffOutcome Diff(string workRoot, string key, string baseDll, string newDll, string model)
    {
        var result = RunCached(workRoot, key + "." + model + ".diff", "diff", baseDll, newDll, "--json", "--model", model);
        if (result.ExitCode is not (0 or 1 or 3))
            return new DiffOutcome(result.ExitCode, [], result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var diagnostics = json.RootElement.GetProperty("diagnostics").EnumerateArray()
            .Select(d => new DiffDiagnostic(d.GetProperty("id").GetString()!, d.GetProperty("severity").GetString()!,
                d.GetProperty("member").ValueKind == JsonValueKind.Null ? null : d.GetProperty("member").GetString(),
                d.GetProperty("message").GetString() ?? ""))
            .ToList();
        return new DiffOutcome(result.ExitCode, diagnostics, result.StandardError);
    }

    /// <summary><c>patchgen build --base --new -o --model M</c> to a temporary patch, deleted afterwards.</summary>
    public ProcessRunner.Result Build(string workRoot, string key, string baseDll, string newDll, string model)
    {
        var folder = Path.Combine(workRoot, "patches", key, model);
        Directory.CreateDirectory(folder);
        try
        {
            return RunCached(workRoot, key + "." + model + ".build", "build", "--base", baseDll, "--new", newDll, "-o", Path.Combine(folder, "fix.dll"), "--model", model);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>A diagnostic of a <c>patchgen diff --json</c> report.</summary>
internal sealed record DiffDiagnostic(string Id, string Severity, string? Member, string Message);

/// <summary>The exit code (0 patchable, 1 not, 3 nothing to patch, else an error with its output) and diagnostics.</summary>
internal sealed record DiffOutcome(int ExitCode, IReadOnlyList<DiffDiagnostic> Diagnostics, string ErrorOutput);
