using PatchGen.TestSupport;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// The patch directory in a real process (docs/patch-directory.md): <see cref="ServedApp"/> started with
/// the runtime as its startup hook and <c>PATCHGEN_PATCH_DIR</c>, under load, while the tests change the
/// folder as operators and the kubelet do. Every answer the application served is tallied, and none may
/// mix two versions of a fix.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PatchDirectoryProcessTests
{
    private const string V1 = "A1:P1 E1";

    private readonly ServedApp _app = ServedApp.Get();

    [Fact]
    public void PatchesInTheFolderAreInForceAtTheFirstCallAndABadOneIsLoggedWithItsIdWhileTheOthersApply()
    {
        var folder = NewFolder();
        Install(folder, "05-corrupt.dll", ServedApp.Corrupt);
        Install(folder, "07-other-build.dll", _app.OtherBuild);
        Install(folder, "10-fix.dll", _app.Fix2);
        Install(folder, "20-extra.dll", _app.Extra2);

        using var served = ServedProcess.Start(folder);

        Assert.Equal("A2:P2 E2", served.First);
        served.WaitForLog($"error PG0005: {Path.Combine(folder, "07-other-build.dll")}: the patch was built for base MVID");
        served.WaitForLog($"error PG0001: {Path.Combine(folder, "05-corrupt.dll")}: ");
        served.WaitForAnswers("A2:P2 E2");
        Assert.Equal(new[] { "A2:P2 E2" }, served.Tally().Keys);
        Assert.Equal(new Dictionary<string, string> { ["served-fix-2"] = "enabled", ["served-extra-2"] = "enabled" }, served.PatchStates());
    }

    [Fact]
    public void APatchAddedWhileTheProcessServesIsAppliedReplacedAndDisabledWhenRemoved()
    {
        var folder = NewFolder();
        using var served = ServedProcess.Start(folder);
        Assert.Equal(V1, served.First);
        served.WaitForAnswers(V1);

        Install(folder, "10-fix.dll", _app.Fix2);
        served.WaitForAnswers("A2:P2 E1");
        served.WaitForLog("applied 10-fix.dll: patch 'served-fix-2'");

        // Same name, new content, not cumulative: the old one is disabled, then the new one enabled.
        Install(folder, "10-fix.dll", _app.Fix3);
        served.WaitForAnswers("A3:P3 E1");
        served.WaitUntil(() => served.PatchStates().SequenceEqual(new Dictionary<string, string> { ["served-fix-3"] = "enabled" }), "only served-fix-3 loaded");

        File.Delete(Path.Combine(folder, "10-fix.dll"));
        served.WaitForAnswers(V1);
        served.WaitForLog("disabled 10-fix.dll: patch 'served-fix-3'");
        served.WaitUntil(() => served.PatchStates().Count == 0, "no patch loaded");
        served.AssertNeverMixed();
        Assert.DoesNotContain("error", served.StandardError);
    }

    [Fact]
    public void AKubernetesVolumeUpdateSwapsTheOldPatchForTheNewWithoutAnUnpatchedMoment()
    {
        var volume = NewFolder();
        KubeletVolume.Write(volume, new Dictionary<string, byte[]> { ["10-fix.dll"] = _app.Fix2 }, update: 1);
        using var served = ServedProcess.Start(volume);
        Assert.Equal("A2:P2 E1", served.First);
        served.WaitForAnswers("A2:P2 E1");

        // The ConfigMap now holds a cumulative fix under another key: the kubelet swaps ..data.
        KubeletVolume.Write(volume, new Dictionary<string, byte[]> { ["20-fix.dll"] = _app.Fix3Cumulative }, update: 2);
        served.WaitForAnswers("A3:P3 E1");
        served.WaitUntil(() => served.PatchStates().SequenceEqual(new Dictionary<string, string> { ["served-fix-3c"] = "enabled" }), "served-fix-2 replaced and unloaded");
        served.WaitForLog("applied 20-fix.dll: patch 'served-fix-3c' for Served (2 method(s), cumulative, replacing 10-fix.dll)");

        // The cumulative patch replaced the old one atomically: no request ever ran the unpatched code.
        Assert.Equal(0, served.Count(V1));
        served.AssertNeverMixed();
    }

    [Fact]
    public void AHalfWrittenPatchIsNeverAppliedNorReportedAndAppliesOnceWhole()
    {
        var folder = NewFolder();
        using var served = ServedProcess.Start(folder);
        Assert.Equal(V1, served.First);

        var path = Path.Combine(folder, "10-fix.dll");
        var image = _app.Fix2;
        using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            writer.Write(image, 0, image.Length / 2);
            writer.Flush(flushToDisk: true);
            // Long enough for the watcher to see the half (its events, a debounce, a scan), shorter than the settle time.
            Thread.Sleep(TimeSpan.FromSeconds(1));
            Assert.Equal(0, served.Count("A2:P2 E1"));
            writer.Write(image, image.Length / 2, image.Length - image.Length / 2);
        }
        served.WaitForAnswers("A2:P2 E1");
        served.AssertNeverMixed();
        Assert.DoesNotContain("error", served.StandardError);
    }

    [Fact]
    public void AFolderRemovedKeepsItsPatchesAndIsFollowedAgainWhenItComesBack()
    {
        var folder = NewFolder();
        Install(folder, "10-fix.dll", _app.Fix2);
        using var served = ServedProcess.Start(folder);
        Assert.Equal("A2:P2 E1", served.First);

        Directory.Delete(folder, recursive: true);
        served.WaitForLog("does not exist (waiting for it to appear); the 1 patch(es) it applied stay until it is usable again");
        served.WaitForAnswers("A2:P2 E1");

        Directory.CreateDirectory(folder);
        Install(folder, "10-fix.dll", _app.Fix3Cumulative);
        served.WaitForAnswers("A3:P3 E1");
        served.WaitForLog("usable again");
        // Followed again, events and all: a patch added now applies too.
        Install(folder, "20-extra.dll", _app.Extra2);
        served.WaitForAnswers("A3:P3 E2");

        // Threads switch at their next call; the transition completes once the certifier has seen them all.
        served.WaitUntil(() => served.PatchStates().OrderBy(p => p.Key).SequenceEqual(new Dictionary<string, string> { ["served-extra-2"] = "enabled", ["served-fix-3c"] = "enabled" }), "both patches enabled");
        Assert.Equal(0, served.Count(V1));
        served.AssertNeverMixed();
    }

    [Fact]
    public void AFileGoneForAMomentKeepsItsPatchWithNoUnpatchedMoment()
    {
        var folder = NewFolder();
        var fix = Path.Combine(folder, "10-fix.dll");
        Install(folder, "10-fix.dll", _app.Fix2);
        using var served = ServedProcess.Start(folder);
        Assert.Equal("A2:P2 E1", served.First);
        served.WaitForAnswers("A2:P2 E1");

        // Placed, not timed: the name comes back only once the runtime has scanned the folder without it
        // (it logs that), so the old code disabled the patch here every time. An attempt counts when the
        // name was back within the settle time with a margin, as the test measures it from the delete (an
        // upper bound of what the runtime saw); a host that stalled the test longer played another case.
        var margin = PatchGen.Runtime.PatchDirectory.PatchDirectoryReconciler.SettleTime - TimeSpan.FromMilliseconds(500);
        for (int attempt = 1; ; attempt++)
        {
            var staged = Path.Combine(folder, ".10-fix.dll.staged");
            File.WriteAllBytes(staged, _app.Fix2);
            File.SetUnixFileMode(staged, (UnixFileMode)0b110_100_100);
            int gone = Occurrences(served.StandardError, "10-fix.dll is gone: patch 'served-fix-2' stays applied");
            int back = Occurrences(served.StandardError, "10-fix.dll is back");
            int disabled = Occurrences(served.StandardError, "disabled 10-fix.dll");
            int applied = Occurrences(served.StandardError, "applied 10-fix.dll");
            long unpatched = served.Count(V1);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            File.Delete(fix);
            served.WaitUntil(() => Occurrences(served.StandardError, "10-fix.dll is gone: patch 'served-fix-2' stays applied") > gone, "the runtime to see 10-fix.dll gone");
            File.Move(staged, fix);
            var away = clock.Elapsed;
            // Back within the settle time, or (a stalled attempt) disabled and applied again.
            served.WaitUntil(() => Occurrences(served.StandardError, "10-fix.dll is back") > back || Occurrences(served.StandardError, "applied 10-fix.dll") > applied, "the runtime to see 10-fix.dll back");

            if (away < margin)
            {
                Assert.Equal(disabled, Occurrences(served.StandardError, "disabled 10-fix.dll"));
                Assert.Equal(unpatched, served.Count(V1));
                Assert.Equal(new Dictionary<string, string> { ["served-fix-2"] = "enabled" }, served.PatchStates());
                break;
            }
            Assert.True(attempt < 5, $"the test never brought the name back within {margin.TotalSeconds} s of deleting it (last: {away.TotalSeconds:0.0} s)");
            // Maybe disabled and enabled again: settle before the next attempt.
            served.WaitUntil(() => served.PatchStates().SequenceEqual(new Dictionary<string, string> { ["served-fix-2"] = "enabled" }), "served-fix-2 enabled again");
            served.WaitForAnswers("A2:P2 E1");
        }
        served.WaitForAnswers("A2:P2 E1");
        served.AssertNeverMixed();
        Assert.DoesNotContain("error", served.StandardError);
    }

    [Fact]
    public void AFileOrFolderOtherUsersCanWriteIsRefusedUntilItsModeIsFixed()
    {
        var folder = NewFolder();
        var fix = Path.Combine(folder, "10-fix.dll");
        Install(folder, "10-fix.dll", _app.Fix2);
        File.SetUnixFileMode(fix, (UnixFileMode)0b110_110_110); // 0666
        using var served = ServedProcess.Start(folder);

        Assert.Equal(V1, served.First);
        served.WaitForLog($"error PG0001: {fix}: refusing it: {fix} is writable by group or others (mode 666; chmod go-w)");
        File.SetUnixFileMode(fix, (UnixFileMode)0b110_100_100); // 0644
        served.WaitForAnswers("A2:P2 E1");

        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111); // 0777
        served.WaitForLog($"refusing it: {folder} is writable by group or others (mode 777; chmod go-w); who can write the folder can patch this process");
        Install(folder, "20-extra.dll", _app.Extra2);
        Thread.Sleep(PatchGen.Runtime.PatchDirectory.PatchDirectoryWatch.PollInterval * 2);
        Assert.Equal(0, served.Count("A2:P2 E2"));

        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101); // 0755
        served.WaitForAnswers("A2:P2 E2");
        served.WaitForLog("usable again");
        served.AssertNeverMixed();
    }

    [Fact]
    public void OnceAKeyIsTrustedAnUnsignedPatchInTheFolderIsRefusedAndASignedOneApplies()
    {
        var folder = NewFolder();
        var key = Path.Combine(InlineAssembly.TempDirectory("served-key"), "ops.snk");
        File.WriteAllBytes(key, _app.Key);
        Install(folder, "10-fix.dll", _app.Fix2);
        Install(folder, "20-extra.dll", _app.SignedExtra2);

        using var served = ServedProcess.Start(folder, new Dictionary<string, string> { ["PATCHGEN_TRUSTED_KEYS"] = key });

        Assert.Equal("A1:P1 E2", served.First);
        served.WaitForLog($"error PG0006: {Path.Combine(folder, "10-fix.dll")}: ");
        served.WaitForAnswers("A1:P1 E2");
        Assert.Equal(new Dictionary<string, string> { ["served-extra-2"] = "enabled" }, served.PatchStates());
        served.AssertNeverMixed();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APatchForAnAssemblyLoadedLaterIsInForceAtItsFirstCall(bool loadedByTheJit)
    {
        var folder = NewFolder();
        Install(folder, "30-late.dll", _app.LateFix);
        using var served = ServedProcess.Start(folder);
        served.WaitForLog("30-late.dll: patch 'served-late-fix' waits for 'Served.Late'");
        served.WaitForAnswers(V1);

        Assert.Equal("L2", served.LoadLate(loadedByTheJit));
        served.WaitForLog("applied 30-late.dll: patch 'served-late-fix' for Served.Late");
        served.AssertNeverMixed();
    }

    [Fact]
    public void TheRuntimePropertyAloneMakesThePatchableModuleApplyTheFolderBeforeMain()
    {
        // What <PatchGenPatchDirectory>patches</PatchGenPatchDirectory> writes: no hook, no variable,
        // a path relative to the application's folder.
        var appFolder = InlineAssembly.TempDirectory("served-configured");
        foreach (var file in Directory.GetFiles(_app.Folder))
            File.Copy(file, Path.Combine(appFolder, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(appFolder, ServedApp.AssemblyName + ".runtimeconfig.json"), """
            {"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"},"configProperties":{"PatchGen.PatchDirectory":"patches"}}}
            """);
        var folder = Path.Combine(appFolder, "patches");
        Directory.CreateDirectory(folder);
        Install(folder, "10-fix.dll", _app.Fix2);

        using var served = ServedProcess.Start(patchFolder: null, startupHook: false, appFolder: appFolder);

        Assert.Equal("A2:P2 E1", served.First);
        Install(folder, "20-extra.dll", _app.Extra2);
        served.WaitForAnswers("A2:P2 E2");
        served.AssertNeverMixed();
    }

    private static string NewFolder() => InlineAssembly.TempDirectory("patches");

    private static int Occurrences(string text, string fragment)
    {
        int count = 0;
        for (int at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>Writes a patch file as an operator should: a temporary name the directory ignores, then one rename.</summary>
    private static void Install(string folder, string name, byte[] image)
    {
        var temporary = Path.Combine(folder, "." + name + ".tmp");
        File.WriteAllBytes(temporary, image);
        File.SetUnixFileMode(temporary, (UnixFileMode)0b110_100_100);
        File.Move(temporary, Path.Combine(folder, name), overwrite: true);
    }
}
