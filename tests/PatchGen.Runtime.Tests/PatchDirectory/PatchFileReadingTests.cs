using System.Runtime.InteropServices;
using PatchGen.Runtime.PatchDirectory;
using PatchGen.TestSupport;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// The two checks a patch file passes before its bytes reach the loader: it is a whole patch (every
/// proper prefix of a real one, the shape of a file caught mid-write, is refused), and nobody but this
/// user or root can change it or its folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PatchFileReadingTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, uint owner, uint group);

    [Fact]
    public void EveryProperPrefixOfAPatchIsRefusedAndTheWholeReadsAsItsHeader()
    {
        var app = ServedApp.Get();
        foreach (var image in new[] { app.Fix3Cumulative, app.SignedExtra2 })
        {
            for (int length = 0; length < image.Length; length++)
                Assert.True(PatchHeaderReader.Read(image[..length], out _) is null, $"{length} of {image.Length} bytes read as a patch");
        }

        var header = PatchHeaderReader.Read(app.Fix3Cumulative, out var problem);
        Assert.Null(problem);
        Assert.NotNull(header);
        Assert.Equal("served-fix-3c", header.Id);
        Assert.Equal(ServedApp.AssemblyName, header.TargetAssembly);
        Assert.Equal(app.Mvid, Guid.Parse(header.BaseModuleVersionId));
        Assert.True(header.Cumulative);
        Assert.Equal(new[] { "M:Served.Service.Answer(System.Int32)", "M:Served.Service.Part(System.Int32)" }, header.Replaces.Order(StringComparer.Ordinal));
        Assert.Equal("not a patch (it has no PatchGen.Runtime.PatchAttribute)", ReadProblem(File.ReadAllBytes(typeof(PatchFileReadingTests).Assembly.Location)));
    }

    [Fact]
    public void AFileOrFolderOfAnotherUserOrWritableByOthersIsRefusedAndAStickyAncestorIsNot()
    {
        var folder = RealPath.Of(InlineAssembly.TempDirectory("writers"))!;
        var file = Path.Combine(folder, "10-fix.dll");
        File.WriteAllBytes(file, new byte[] { 1 });
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        var cache = new Dictionary<string, string?>();

        Assert.Null(WritableByOthers.FolderProblem(folder, cache));
        Assert.Null(WritableByOthers.FileProblem(file, folder, cache));

        File.SetUnixFileMode(file, (UnixFileMode)0b110_110_100); // group-writable
        Assert.Equal($"{file} is writable by group or others (mode 664; chmod go-w)", WritableByOthers.FileProblem(file, folder, cache));
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        // A sticky world-writable ancestor (as /tmp) is fine; the same mode on the folder itself is not.
        var sticky = Path.Combine(folder, "sticky");
        var inner = Path.Combine(sticky, "patches");
        Directory.CreateDirectory(inner);
        File.SetUnixFileMode(sticky, (UnixFileMode)0b001_111_111_111); // 1777
        Assert.Null(WritableByOthers.FolderProblem(inner, new Dictionary<string, string?>()));
        Assert.Equal($"{sticky} is writable by group or others (mode 1777; chmod go-w)", WritableByOthers.FolderProblem(sticky, new Dictionary<string, string?>()));

        if (Environment.UserName == "root" && OperatingSystem.IsLinux())
        {
            // Owned by someone who is neither this user nor root: they could chmod it at will.
            Assert.Equal(0, chown(file, 4242, 4242));
            Assert.Equal($"{file} is owned by uid 4242, neither this process's user (uid 0) nor root", WritableByOthers.FileProblem(file, folder, new Dictionary<string, string?>()));
            Assert.Equal(0, chown(inner, 4242, 4242));
            Assert.StartsWith($"{inner} is owned by uid 4242", WritableByOthers.FolderProblem(inner, new Dictionary<string, string?>()));
        }
    }

    private static string? ReadProblem(byte[] image)
    {
        PatchHeaderReader.Read(image, out var problem);
        return problem;
    }
}
