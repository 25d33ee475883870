namespace PatchGen.Diff.Tests;

/// <summary>What <see cref="SpareCore"/> reads from the kernel's files, in the formats the kernel writes them.</summary>
public sealed class SpareCoreTests
{
    [Fact]
    public void StallTotalIsTheSomeLinesTotal()
    {
        const string pressure = "some avg10=62.91 avg60=57.24 avg300=44.82 total=26056271945\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
        Assert.Equal(26056271945L, SpareCore.ParseStallTotal(pressure));
    }

    [Theory]
    [InlineData("")]
    [InlineData("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")]
    [InlineData("some avg10=1.00 avg60=0.50 avg300=0.10\n")]
    [InlineData("some avg10=1.00 total=-5\n")]
    public void StallTotalIsNullWithoutASomeTotal(string pressure) => Assert.Null(SpareCore.ParseStallTotal(pressure));

    [Fact]
    public void LoadAverageIsTheFirstFigure()
    {
        Assert.Equal(5.98, SpareCore.ParseLoadAverage("5.98 5.04 5.25 2/162 21696\n"));
        Assert.Null(SpareCore.ParseLoadAverage("busy 5.04 5.25 2/162 21696\n"));
        Assert.Null(SpareCore.ParseLoadAverage(""));
    }

    /// <summary>On this machine's own files (Linux CI has PSI or a load average): an answer, and no exception.</summary>
    [Fact]
    public void TheMachineCanBeAsked()
    {
        if (!OperatingSystem.IsLinux())
            return;
        bool pressure = File.Exists("/proc/pressure/cpu") && SpareCore.ParseStallTotal(File.ReadAllText("/proc/pressure/cpu")) is not null;
        bool load = SpareCore.ParseLoadAverage(File.ReadAllText("/proc/loadavg")) is not null;
        Assert.True(pressure || load, "neither /proc/pressure/cpu nor /proc/loadavg could be read");
        _ = SpareCore.Available();
    }
}
