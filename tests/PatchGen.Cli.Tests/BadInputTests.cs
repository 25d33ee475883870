using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// Bad input gets one clear line with a PG ID and the offending path, exit code 2, never a stack
/// trace: missing files, directories, non-PE files, truncated and corrupted assemblies, usage errors.
/// </summary>
public class BadInputTests
{
    private const string Source = """
        namespace Shop;
        public class Cart
        {
            private readonly int[] _prices = { 1, 2, 3 };
            public int Total(int n) { int t = 0; foreach (var p in _prices) t += p * n; return t; }
            public System.Func<int, int> Doubler() => x => x * 2;
        }
        """;

    private static readonly Lazy<string> Valid = new(() => InlineAssembly.Compile(InlineAssembly.TempDirectory("valid"), "Shop", Source));

    private static void AssertOneLineError(CliRunner.Outcome outcome, string id, string mentions)
    {
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith($"patchgen: error {id}: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain(" at ", line);
        Assert.Equal("", outcome.StdOut);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("build")]
    public void UnknownModel(string command)
    {
        var args = command == "diff"
            ? new[] { "diff", Valid.Value, Valid.Value, "--model", "lenient" }
            : new[] { "build", "--base", Valid.Value, "--new", Valid.Value, "-o", Path.Combine(InlineAssembly.TempDirectory("model"), "fix.dll"), "--model", "lenient" };
        AssertOneLineError(CliRunner.Run(args), "PG0001", "--model 'lenient'");
    }

    [Fact]
    public void MissingFile()
    {
        var missing = Path.Combine(InlineAssembly.TempDirectory("missing"), "nope.dll");
        AssertOneLineError(CliRunner.Run("diff", Valid.Value, missing), "PG0001", missing);
        AssertOneLineError(CliRunner.Run("diff", missing, Valid.Value), "PG0001", missing);
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        var dir = InlineAssembly.TempDirectory("dir");
        AssertOneLineError(CliRunner.Run("diff", Valid.Value, dir), "PG0001", dir);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not an assembly")]
    [InlineData("MZ")]
    public void NotAnAssembly(string content)
    {
        var path = Path.Combine(InlineAssembly.TempDirectory("text"), "Shop.dll");
        File.WriteAllText(path, content);
        AssertOneLineError(CliRunner.Run("diff", Valid.Value, path), "PG0001", path);
    }

    [Fact]
    public void NativeBinaryIsNotAManagedAssembly()
    {
        // Any ELF binary on the machine: a PE reader must refuse it cleanly.
        var native = File.Exists("/bin/ls") ? "/bin/ls" : Environment.ProcessPath!;
        AssertOneLineError(CliRunner.Run("diff", native, Valid.Value), "PG0001", native);
    }

    [Fact]
    public void TruncatedAssemblyAtEveryScaleIsReportedNotThrown()
    {
        var bytes = File.ReadAllBytes(Valid.Value);
        var dir = InlineAssembly.TempDirectory("truncated");
        // From the DOS header to one byte short of the whole file.
        foreach (var length in new[] { 1, 64, 128, 300, 512, bytes.Length / 3, bytes.Length / 2, bytes.Length - 200, bytes.Length - 1 })
        {
            var path = Path.Combine(dir, $"Shop-{length}.dll");
            File.WriteAllBytes(path, bytes[..length]);
            var outcome = CliRunner.Run("diff", Valid.Value, path);
            // A file cut after its metadata may still read: then it is a valid diff, never a crash.
            Assert.True(outcome.ExitCode is 2 or 3, $"length {length}: exit {outcome.ExitCode}\n{outcome.StdErr}");
            if (outcome.ExitCode == 2)
                AssertOneLineError(outcome, "PG0001", path);
        }
    }

    [Fact]
    public void CorruptedBytesNeverCrash()
    {
        var bytes = File.ReadAllBytes(Valid.Value);
        var dir = InlineAssembly.TempDirectory("corrupt");
        var random = new Random(20261123);
        for (int round = 0; round < 60; round++)
        {
            var copy = (byte[])bytes.Clone();
            for (int i = 0; i < 8; i++)
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            var path = Path.Combine(dir, $"Shop-{round}.dll");
            File.WriteAllBytes(path, copy);

            var outcome = CliRunner.Run("diff", Valid.Value, path);

            Assert.True(outcome.ExitCode is 0 or 1 or 2 or 3, $"round {round}: exit {outcome.ExitCode}");
            Assert.DoesNotContain("   at ", outcome.StdErr);
            if (outcome.ExitCode == 2)
            {
                var line = Assert.Single(outcome.ErrorLines);
                Assert.Matches("^patchgen: error PG000[12]: ", line);
            }
        }
    }

    [Fact]
    public void DifferentAssembliesAreRefusedWithPg0002()
    {
        var other = InlineAssembly.Compile(InlineAssembly.TempDirectory("other"), "Billing", Source.Replace("namespace Shop", "namespace Billing"));
        AssertOneLineError(CliRunner.Run("diff", Valid.Value, other), "PG0002", other);
    }

    [Theory]
    [InlineData("")]
    [InlineData("diff")]
    [InlineData("diff a.dll")]
    [InlineData("diff a.dll b.dll --no-such-option")]
    [InlineData("no-such-command")]
    public void UsageErrorsAreOneLineWithExitTwo(string commandLine)
    {
        var outcome = CliRunner.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: patchgen", line);
        Assert.Contains("--help", line);
    }

    [Fact]
    public void RealProcessPrintsOneLineAndNoStackTrace()
    {
        var missing = Path.Combine(InlineAssembly.TempDirectory("proc"), "gone.dll");
        var outcome = CliRunner.RunProcess("diff", missing, Valid.Value);
        AssertOneLineError(outcome, "PG0001", missing);
    }
}
