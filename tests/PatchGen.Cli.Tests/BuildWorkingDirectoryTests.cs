using PatchGen.Instrumentation;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// Issue 12: <c>patchgen build</c> used to depend on the working directory. A replaced method with a parameter
/// whose default is an enum of a dependency (<c>Mode mode = Mode.Fast</c>, the enum defined in Dep.dll beside the
/// base) needs that dependency when the patch is written (the constant is encoded as the enum's underlying type);
/// it was looked for in the current folder only, so the same command failed with "Failed to resolve assembly:
/// 'Dep'" unless run from the base's folder.
/// </summary>
public class BuildWorkingDirectoryTests
{
    private const string Dependency = """
        namespace Dep;
        public enum Mode { Slow, Fast }
        [System.AttributeUsage(System.AttributeTargets.All)]
        public sealed class TagAttribute : System.Attribute { public TagAttribute(Mode mode) { Mode = mode; } public Mode Mode { get; } }
        """;

    private const string V1 = """
        namespace App;
        public static class Prices
        {
            public static int Total(int count, Dep.Mode mode = Dep.Mode.Fast) => count * 10;
        }
        """;

    private const string V2 = """
        namespace App;
        public static class Prices
        {
            public static int Total(int count, Dep.Mode mode = Dep.Mode.Fast) => Discounted(count * 10);

            [Dep.Tag(Dep.Mode.Fast)]
            private static int Discounted(int total) => total > 100 ? total - 5 : total;
        }
        """;

    [Theory]
    [InlineData("elsewhere")]
    [InlineData("base")]
    public void APatchUsingADependencyBuildsFromAnyWorkingDirectory(string from)
    {
        var (work, patchable, fixedBuild) = Prepare();
        var elsewhere = Directory.CreateDirectory(Path.Combine(work, "elsewhere")).FullName;
        var output = Path.Combine(work, "out", "fix.dll");

        var build = CliRunner.RunProcessIn(from == "base" ? Path.GetDirectoryName(patchable)! : elsewhere, "build", "--base", patchable, "--new", fixedBuild, "-o", output);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.True(File.Exists(output));
    }

    /// <summary>The dependency is in neither folder: one PG0001 line naming it, exit 2, nothing written.</summary>
    [Fact]
    public void AMissingDependencyIsNamed()
    {
        var (work, patchable, fixedBuild) = Prepare();
        File.Delete(Path.Combine(work, "base", "Dep.dll"));
        File.Delete(Path.Combine(work, "v2", "Dep.dll"));
        var output = Path.Combine(work, "out", "fix.dll");

        var build = CliRunner.RunProcessIn(work, "build", "--base", patchable, "--new", fixedBuild, "-o", output);

        Assert.Equal(2, build.ExitCode);
        var line = Assert.Single(build.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("patchgen: error PG0001: Dep, Version=0.0.0.0", line);
        Assert.Contains("not found beside the base or the fix", line);
        Assert.False(File.Exists(output));
    }

    private static (string Work, string Patchable, string Fix) Prepare()
    {
        var work = InlineAssembly.TempDirectory("build-cwd");
        var dep = InlineAssembly.Compile(Path.Combine(work, "dep"), "Dep", Dependency);
        Directory.CreateDirectory(Path.Combine(work, "v1"));
        Directory.CreateDirectory(Path.Combine(work, "v2"));
        Directory.CreateDirectory(Path.Combine(work, "base"));
        // As in real output folders: the dependency is beside the plain build, the base and the fix.
        foreach (var folder in new[] { "v1", "v2", "base" })
            File.Copy(dep, Path.Combine(work, folder, "Dep.dll"));
        var plain = InlineAssembly.Compile(Path.Combine(work, "v1"), "App", V1, withPdb: true, references: [dep]);
        var fixedBuild = InlineAssembly.Compile(Path.Combine(work, "v2"), "App", V2, withPdb: true, references: [dep]);
        var baseDir = Path.Combine(work, "base");
        var patchable = Path.Combine(baseDir, "App.dll");
        AssemblyInstrumenter.Instrument(plain, patchable, new InstrumentOptions { CopyRuntime = true });
        return (work, patchable, fixedBuild);
    }
}
