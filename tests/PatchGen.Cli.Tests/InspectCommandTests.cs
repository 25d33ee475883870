using System.Text.Json;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen inspect</c>: what a patch replaces and what it is bound to, as text or as JSON
/// (schema 1, deterministic); anything that is not a readable patch is one PG0001 line, exit 2.
/// </summary>
public class InspectCommandTests
{
    private static readonly Lazy<(CasePatches.Pair Pair, string Patch)> Built = new(() =>
    {
        var pair = CasePatches.Instrumented("GenericTypeAndMethodBodyChangesArePatchable");
        var patch = Path.Combine(pair.Directory, "out", "fix.dll");
        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", patch);
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        return (pair, patch);
    });

    [Fact]
    public void JsonIsSchemaOneWithWhatThePatchReplacesAndIsByteIdenticalAcrossRuns()
    {
        var (pair, patch) = Built.Value;

        var first = CliRunner.Run("inspect", patch, "--json");
        var second = CliRunner.Run("inspect", patch, "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("", first.StdErr);
        Assert.Equal(first.StdOut, second.StdOut);
        using var json = JsonDocument.Parse(first.StdOut);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("fix", root.GetProperty("id").GetString());
        Assert.Equal(patch, root.GetProperty("path").GetString());
        Assert.Equal("CaseAssembly", root.GetProperty("base").GetProperty("name").GetString());
        Assert.Equal(CasePatches.MvidOf(pair.Base), Guid.Parse(root.GetProperty("base").GetProperty("mvid").GetString()!));
        Assert.Equal(CasePatches.MvidOf(patch), Guid.Parse(root.GetProperty("mvid").GetString()!));
        Assert.False(root.GetProperty("cumulative").GetBoolean());
        Assert.False(root.GetProperty("signature").GetProperty("signed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("signature").GetProperty("publicKeyToken").ValueKind);
        // The same methods and sites as the text form, which the build test ties to what build reported.
        var replaces = root.GetProperty("replaces").EnumerateArray()
            .Select(r => (r.GetProperty("member").GetString()!, r.GetProperty("site").GetInt32()))
            .ToList();
        Assert.Equal(CasePatches.ReplacedMethods(CliRunner.Run("inspect", patch).StdOut), replaces);
        Assert.Equal(
            new[] { "M:Cases.Repository`1.Find(System.Int32)", "M:Cases.Repository`1.Project``1(System.Int32,System.Func{`0,``0},``0)" },
            replaces.Select(r => r.Item1));
    }

    [Fact]
    public void JsonOfARealPatchIsPinnedByteForByte()
    {
        // Scripts read this document: its bytes (property order, indentation, escaping, the final
        // newline) are pinned, not just its content. Only the path and the MVIDs depend on the run.
        var (pair, patch) = Built.Value;
        const string Expected = """
            {
              "schema": 1,
              "path": "{path}",
              "id": "fix",
              "assembly": "CaseAssembly.Patch.fix",
              "mvid": "{mvid}",
              "base": {
                "name": "CaseAssembly",
                "mvid": "{baseMvid}"
              },
              "cumulative": false,
              "signature": {
                "signed": false,
                "publicKeyToken": null,
                "valid": null,
                "problem": null
              },
              "systemStates": [],
              "replaces": [
                {
                  "member": "M:Cases.Repository\u00601.Find(System.Int32)",
                  "site": 0,
                  "replacement": "Cases.Repository\u00601::Find"
                },
                {
                  "member": "M:Cases.Repository\u00601.Project\u0060\u00601(System.Int32,System.Func{\u00600,\u0060\u00600},\u0060\u00600)",
                  "site": 1,
                  "replacement": "Cases.Repository\u00601::Project"
                }
              ],
              "callbacks": [],
              "types": []
            }

            """;
        var expected = Expected
            .Replace("{path}", patch, StringComparison.Ordinal)
            .Replace("{mvid}", CasePatches.MvidOf(patch).ToString("D"), StringComparison.Ordinal)
            .Replace("{baseMvid}", CasePatches.MvidOf(pair.Base).ToString("D"), StringComparison.Ordinal);

        var outcome = CliRunner.Run("inspect", patch, "--json");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(expected, outcome.StdOut);
    }

    [Fact]
    public void TextIsByteIdenticalAcrossRuns()
    {
        var (_, patch) = Built.Value;
        Assert.Equal(CliRunner.Run("inspect", patch).StdOut, CliRunner.Run("inspect", patch).StdOut);
    }

    private static void AssertOneLineError(CliRunner.Outcome outcome, string mentions)
    {
        Assert.Equal(2, outcome.ExitCode);
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith("patchgen: error PG0001: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain("   at ", outcome.StdErr);
        Assert.Equal("", outcome.StdOut);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnAssemblyThatIsNotAPatchIsOneLine(bool json)
    {
        var plain = CaseCompiler.Compile("BodyChangeIsPatchable", "v1").AssemblyPath;
        var outcome = json ? CliRunner.Run("inspect", plain, "--json") : CliRunner.Run("inspect", plain);
        AssertOneLineError(outcome, plain + ": not a patch");
    }

    [Fact]
    public void AnInstrumentedBuildIsNotAPatchEither()
    {
        var (pair, _) = Built.Value;
        AssertOneLineError(CliRunner.Run("inspect", pair.Base), pair.Base + ": not a patch");
    }

    [Fact]
    public void MissingFileIsOneLine()
    {
        var missing = Path.Combine(InlineAssembly.TempDirectory("inspect-missing"), "fix.dll");
        AssertOneLineError(CliRunner.Run("inspect", missing), missing + ": file not found");
    }

    [Fact]
    public void DirectoryIsOneLine()
    {
        var directory = InlineAssembly.TempDirectory("inspect-dir");
        AssertOneLineError(CliRunner.Run("inspect", directory), directory + ": is a directory");
    }

    [Fact]
    public void TextFileIsOneLine()
    {
        var text = Path.Combine(InlineAssembly.TempDirectory("inspect-text"), "fix.dll");
        File.WriteAllText(text, "this is not a patch");
        AssertOneLineError(CliRunner.Run("inspect", text), text + ": not a managed assembly");
    }

    [Fact]
    public void CorruptedPatchesNeverCrash()
    {
        // Cecil reads lazily: damage in a signature or attribute blob is only met while the patch is
        // walked, long after the file opened fine. It must still end as one line, never a stack trace.
        var (pair, patch) = Built.Value;
        var bytes = File.ReadAllBytes(patch);
        var random = new Random(20261123);
        for (int round = 0; round < 60; round++)
        {
            var copy = (byte[])bytes.Clone();
            for (int i = 0; i < 8; i++)
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            var path = Path.Combine(pair.Directory, $"corrupt-{round}.dll");
            File.WriteAllBytes(path, copy);

            var outcome = CliRunner.Run("inspect", path);

            Assert.True(outcome.ExitCode is 0 or 2, $"round {round}: exit {outcome.ExitCode}\n{outcome.StdErr}");
            if (outcome.ExitCode == 2)
                AssertOneLineError(outcome, path);
        }
    }

    [Fact]
    public void TheInstalledToolInspectsAPatch()
    {
        var (_, patch) = Built.Value;
        var outcome = CliRunner.RunProcess("inspect", patch);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(CliRunner.Run("inspect", patch).StdOut, outcome.StdOut);
    }
}
