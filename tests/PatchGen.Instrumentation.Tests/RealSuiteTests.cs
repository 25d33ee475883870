using System.Diagnostics;
using System.Text.RegularExpressions;
using Mono.Cecil;
using PatchGen.TestSupport;
using Xunit.Abstractions;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The proof that instrumentation changes no behaviour: the build output of PatchGen.Diff.Tests (387
/// tests that drive Mono.Cecil, the diff engine and the diagnostics catalogue hard) is copied, those
/// three libraries are instrumented in place, and the copy's whole test suite runs in a child process.
/// </summary>
public class RealSuiteTests
{
    private const int KnownTestCount = 387;
    private readonly ITestOutputHelper _output;

    public RealSuiteTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void DiffTestSuitePassesAgainstInstrumentedCecilAndDiff()
    {
        // The configuration this test was built in (bin/<Configuration>/net10.0/) is the one to copy.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var source = Path.Combine(Repository.Root, "tests", "PatchGen.Diff.Tests", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(source, "PatchGen.Diff.Tests.dll")), "build PatchGen.Diff.Tests first: " + source);

        var copy = InlineAssembly.TempDirectory("real-suite");
        try
        {
            RunInstrumentedCopy(source, copy);
        }
        finally
        {
            // About 60 MB per run: not left behind in the temporary folder.
            try { Directory.Delete(copy, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void RunInstrumentedCopy(string source, string copy)
    {
        CopyDirectory(source, copy);
        foreach (var library in new[] { "Mono.Cecil.dll", "PatchGen.Diff.dll", "PatchGen.Diagnostics.dll" })
        {
            var path = Path.Combine(copy, library);
            var result = AssemblyInstrumenter.Instrument(path, path);
            _output.WriteLine($"{result.Summary(library)}, in {result.Duration.TotalSeconds:0.00} s");
            Assert.True(result.SiteCount > 0);
        }
        using (var cecil = AssemblyDefinition.ReadAssembly(Path.Combine(copy, "Mono.Cecil.dll")))
            Assert.Contains(cecil.CustomAttributes, a => a.AttributeType.FullName == "PatchGen.Runtime.PatchableAssemblyAttribute");
        Assert.True(File.Exists(Path.Combine(copy, "PatchGen.Runtime.dll")));

        var clock = Stopwatch.StartNew();
        var (exitCode, output) = RunTests(Path.Combine(copy, "PatchGen.Diff.Tests.dll"), copy);
        _output.WriteLine($"instrumented suite: exit {exitCode} in {clock.Elapsed.TotalSeconds:0} s");
        var summary = Regex.Match(output, @"(Passed|Failed)!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+)");
        Assert.True(summary.Success, output);
        Assert.Equal(0, int.Parse(summary.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(int.Parse(summary.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) >= KnownTestCount, output);
        Assert.Equal(0, exitCode);
    }

    private static (int ExitCode, string Output) RunTests(string testAssembly, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("test");
        start.ArgumentList.Add(testAssembly);
        start.ArgumentList.Add("--results-directory");
        start.ArgumentList.Add(Path.Combine(workingDirectory, "TestResults"));
        // The child is a test run of its own, not part of this one.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the instrumented PatchGen.Diff.Tests did not finish within 5 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
