using System.Text.Json;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen install|uninstall|list --dir</c> on a real folder, with patches the real emitter built
/// (<c>patchgen build</c>): written atomically (no temporary left, mode 0644, nothing written on a
/// refusal), listed in the order the runtime applies them, and every bad input one PG line with exit 2.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PatchDirectoryCommandTests
{
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly Lazy<Patches> Built = new(() =>
    {
        var pair = CasePatches.Instrumented("GenericTypeAndMethodBodyChangesArePatchable");
        var plain = Path.Combine(pair.Directory, "out", "fix.dll");
        var signed = Path.Combine(pair.Directory, "out", "fix-2.dll");
        var key = CasePatches.NewKey(pair.Directory, "ops");
        Assert.Equal(0, CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", plain).ExitCode);
        var build = CliRunner.Run("build", "--base", pair.Base, "--new", pair.New, "-o", signed, "--id", "fix-2", "--cumulative", "--sign", key);
        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        return new Patches(pair, plain, signed, CasePatches.TokenOf(key));
    });

    [Fact]
    public void InstallWritesAtomicallyListShowsTheApplyOrderAndUninstallRemoves()
    {
        var patches = Built.Value;
        var folder = Path.Combine(InlineAssembly.TempDirectory("install"), "patches");

        var first = CliRunner.Run("install", patches.Signed, "--dir", folder, "--name", "20-fix.dll");
        Assert.True(first.ExitCode == 0, first.StdOut + first.StdErr);
        Assert.Contains($"installed patch 'fix-2' (CaseAssembly, base MVID {CasePatches.MvidOf(patches.Pair.Base)}, cumulative, signed {patches.Token}) as {Path.Combine(folder, "20-fix.dll")}", first.StdOut);
        Assert.Equal(0, CliRunner.Run("install", patches.Plain, "--dir", folder, "--name", "10-fix.dll").ExitCode);

        // Only the two files, readable by all and writable by their owner only, in a folder only its owner writes.
        Assert.Equal(new[] { Path.Combine(folder, "10-fix.dll"), Path.Combine(folder, "20-fix.dll") }, CasePatches.Entries(folder));
        Assert.Equal(Mode644, File.GetUnixFileMode(Path.Combine(folder, "10-fix.dll")));
        Assert.Equal(0, (int)File.GetUnixFileMode(folder) & 0b000_010_010);
        Assert.Equal(File.ReadAllBytes(patches.Signed), File.ReadAllBytes(Path.Combine(folder, "20-fix.dll")));

        var list = CliRunner.Run("list", "--dir", folder);
        Assert.True(list.ExitCode == 0, list.StdOut + list.StdErr);
        var mvid = CasePatches.MvidOf(patches.Pair.Base);
        Assert.Equal(
            $"Patch directory {folder}: 2 patch files, applied in this order\n"
            + $"  10-fix.dll  fix  CaseAssembly  base MVID {mvid}  unsigned\n"
            + $"  20-fix.dll  fix-2  CaseAssembly  base MVID {mvid}  cumulative, signed {patches.Token}\n",
            list.StdOut);
        using (var json = JsonDocument.Parse(CliRunner.Run("list", "--dir", folder, "--json").StdOut))
        {
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("schema").GetInt32());
            var files = root.GetProperty("patches").EnumerateArray().ToList();
            Assert.Equal(new[] { "10-fix.dll", "20-fix.dll" }, files.Select(f => f.GetProperty("file").GetString()));
            Assert.Equal("fix-2", files[1].GetProperty("id").GetString());
            Assert.Equal("CaseAssembly", files[1].GetProperty("target").GetString());
            Assert.Equal(mvid, Guid.Parse(files[1].GetProperty("baseMvid").GetString()!));
            Assert.True(files[1].GetProperty("cumulative").GetBoolean());
            Assert.Equal(patches.Token, files[1].GetProperty("signature").GetProperty("publicKeyToken").GetString());
            Assert.True(files[1].GetProperty("signature").GetProperty("valid").GetBoolean());
            Assert.Empty(root.GetProperty("errors").EnumerateArray());
        }

        // Installing under its own name replaces it; under another name, the same ID is refused.
        var replaced = CliRunner.Run("install", patches.Plain, "--dir", folder, "--name", "10-fix.dll");
        Assert.Equal(0, replaced.ExitCode);
        Assert.Contains("replacing patch 'fix'", replaced.StdOut);
        var duplicate = CliRunner.Run("install", patches.Plain, "--dir", folder, "--name", "30-again.dll");
        Assert.Equal(2, duplicate.ExitCode);
        Assert.StartsWith($"patchgen: error PG4003: fix conflicts with the applied patches: {Path.Combine(folder, "10-fix.dll")} already carries this patch ID", Assert.Single(duplicate.ErrorLines));
        Assert.Equal(2, CasePatches.Entries(folder).Count);

        var byId = CliRunner.Run("uninstall", "fix-2", "--dir", folder);
        Assert.Equal(0, byId.ExitCode);
        Assert.Contains($"removed {Path.Combine(folder, "20-fix.dll")} (patch 'fix-2')", byId.StdOut);
        Assert.Equal(0, CliRunner.Run("uninstall", "10-fix", "--dir", folder).ExitCode);
        Assert.Empty(CasePatches.Entries(folder));
        var none = CliRunner.Run("uninstall", "fix", "--dir", folder);
        Assert.Equal(2, none.ExitCode);
        Assert.StartsWith($"patchgen: error PG0001: {folder}: no patch file or patch ID 'fix'", Assert.Single(none.ErrorLines));
    }

    [Fact]
    public void BadInputIsOnePgLineWithExitTwoAndLeavesTheFolderAsItWas()
    {
        var patches = Built.Value;
        var work = InlineAssembly.TempDirectory("install-bad");
        var folder = Path.Combine(work, "patches");
        Directory.CreateDirectory(folder);
        var corrupt = Path.Combine(work, "corrupt.dll");
        File.WriteAllBytes(corrupt, new byte[] { 0x4d, 0x5a, 1, 2, 3 });
        var tampered = Path.Combine(work, "tampered.dll");
        var bytes = File.ReadAllBytes(patches.Signed);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(tampered, bytes);

        AssertRefused(CliRunner.Run("install", corrupt, "--dir", folder), "PG0001", corrupt);
        AssertRefused(CliRunner.Run("install", Path.Combine(work, "missing.dll"), "--dir", folder), "PG0001", "missing.dll: file not found");
        AssertRefused(CliRunner.Run("install", tampered, "--dir", folder), "PG0006", tampered);
        AssertRefused(CliRunner.Run("install", patches.Plain, "--dir", folder, "--name", ".hidden.dll"), "PG0001", ".hidden.dll: a patch directory's processes read only file names that end in .dll");
        Assert.Empty(CasePatches.Entries(folder));

        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        AssertRefused(CliRunner.Run("install", patches.Plain, "--dir", folder), "PG0001", $"{folder}: a process would refuse this patch directory: {folder} is writable by group or others (mode 777");
        Assert.Empty(CasePatches.Entries(folder));
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);

        // A bad file in the folder is named on standard error; the good ones are still listed.
        Assert.Equal(0, CliRunner.Run("install", patches.Plain, "--dir", folder, "--name", "10-fix.dll").ExitCode);
        File.Copy(corrupt, Path.Combine(folder, "05-corrupt.dll"));
        File.WriteAllBytes(Path.Combine(folder, ".10-fix.dll.1234.tmp"), new byte[] { 1 }); // a writer's temporary: not a patch file
        var list = CliRunner.Run("list", "--dir", folder);
        Assert.Equal(2, list.ExitCode);
        Assert.StartsWith($"patchgen: error PG0001: {Path.Combine(folder, "05-corrupt.dll")}: ", Assert.Single(list.ErrorLines));
        Assert.Contains("1 patch file, applied in this order\n  10-fix.dll  fix  ", list.StdOut);

        AssertRefused(CliRunner.Run("list", "--dir", Path.Combine(work, "nowhere")), "PG0001", "nowhere: no such folder");
        AssertRefused(CliRunner.Run("list"), "PG0001", "give either --pid <pid> or --dir <folder>");
        AssertRefused(CliRunner.Run("list", "--pid", "1", "--dir", folder), "PG0001", "give either --pid <pid> or --dir <folder>");
        AssertRefused(CliRunner.Run("install", patches.Plain), "PG0001", "--dir");
    }

    private static void AssertRefused(CliRunner.Outcome outcome, string id, string mentions)
    {
        Assert.True(outcome.ExitCode == 2, $"exit {outcome.ExitCode}\n{outcome.StdOut}\n{outcome.StdErr}");
        var line = Assert.Single(outcome.ErrorLines);
        Assert.StartsWith($"patchgen: error {id}: ", line);
        Assert.Contains(mentions, line);
    }

    private sealed record Patches(CasePatches.Pair Pair, string Plain, string Signed, string Token);
}
