namespace PatchGen.Macro.InProcess;

/// <summary>
/// The ShopService sample built as a team would: v1 (<c>dotnet build -c Release</c> of
/// testdata/apps/ShopService), v2 (the same with a fix of its fixes/ folder applied by <c>patch -p1</c>),
/// v1 made patchable by <c>AssemblyInstrumenter</c>, and the patch from the instrumented v1 to the plain v2
/// made by <c>patchgen build --base --new</c>.
/// </summary>
internal sealed record ShopServiceBuilds(string PlainV1, string PlainV2, string InstrumentedV1, string Patch, string PatchId)
{
    public const string AssemblyFile = "ShopService.dll";

    /// <summary>Where <see cref="Create"/> puts everything under <paramref name="workDirectory"/>.</summary>
    public static ShopServiceBuilds Locate(string workDirectory, string fix) => new(
        Path.Combine(workDirectory, "v1", AssemblyFile),
        Path.Combine(workDirectory, "v2", AssemblyFile),
        Path.Combine(workDirectory, "instrumented", AssemblyFile),
        Path.Combine(workDirectory, "patch", "shop-" + fix + ".dll"),
        "shop-" + fix);

    public static ShopServiceBuilds Create(string workDirectory, string fix, TextWriter log)
    {
        var paths = Locate(workDirectory, fix);
        var sample = Path.Combine(HarnessPaths.RepoRoot, "testdata", "apps", "ShopService");
        var fixFile = Path.Combine(sample, "fixes", fix + ".patch");
        if (!File.Exists(fixFile))
            throw new FileNotFoundException("no such fix", fixFile);

        var v1 = Build(sample, Path.Combine(workDirectory, "src-v1"), Path.GetDirectoryName(paths.PlainV1)!, fixFile: null);
        var v2 = Build(sample, Path.Combine(workDirectory, "src-v2"), Path.GetDirectoryName(paths.PlainV2)!, fixFile);
        log.WriteLine($"  shop: built v1 and v2 (fix {fix}) with dotnet build -c Release");

        var instrumented = paths.InstrumentedV1;
        Instrumentation.AssemblyInstrumenter.Instrument(v1, instrumented, new Instrumentation.InstrumentOptions { CopyRuntime = false });

        var report = ProcessRunner.Patchgen("build", "--base", instrumented, "--new", v2, "-o", paths.Patch, "--id", paths.PatchId);
        log.WriteLine($"  shop: patchgen build --base <instrumented v1> --new <v2> -o {Path.GetFileName(paths.Patch)}: {report.Trim().Replace('\n', ' ')}");
        return paths;
    }

    /// <summary>Copies the sample's sources (not its bin/obj) and builds them; returns the built DLL.</summary>
    private static string Build(string sample, string sourceCopy, string output, string? fixFile)
    {
        CopySources(sample, sourceCopy);
        if (fixFile is not null)
            ProcessRunner.RunChecked("patch", ["-p1", "--forward", "--input", fixFile], sourceCopy);
        ProcessRunner.RunChecked("dotnet", ["build", Path.Combine(sourceCopy, "ShopService.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "q"]);
        return Path.Combine(output, AssemblyFile);
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" or "fixes")
                continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
