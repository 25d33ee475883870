namespace PatchGen.Macro.Cold;

/// <summary>
/// The programs the cold-start measurement starts, built into the work folder from this checkout: the tool as
/// it ran before issue 15.6 (the RID-neutral publish, every assembly IL only, the runtime's default settings:
/// this checkout's <c>TieredPGO=false</c> is taken out of its runtimeconfig.json), a byte-identical copy of it
/// (the A/A control), the tool as the packages ship it (the same publish with PatchGen.Cli's
/// <c>PublishReadyToRunTool</c>, which the dotnet tool pack and PatchGen.Build's pack run), and the floor
/// (benchmarks/PatchGen.Macro.CecilRead).
/// </summary>
internal sealed record ColdBuilds(string JitTool, string JitToolCopy, string ReadyToRunTool, string Floor)
{
    public static ColdBuilds Prepare(string workDirectory, TextWriter log)
    {
        var root = Path.Combine(workDirectory, "cold");
        string jit = Path.Combine(root, "jit"), copy = Path.Combine(root, "jit-copy"), r2r = Path.Combine(root, "r2r"), floor = Path.Combine(root, "floor");
        var cli = Path.Combine(HarnessPaths.CliProject, "PatchGen.Cli.csproj");
        log.WriteLine("  publishing the tool IL-only, then ReadyToRun, and building the floor...");
        ProcessRunner.RunChecked("dotnet", ["msbuild", cli, "-restore", "-t:Publish", "-p:Configuration=Release", "-p:PublishDir=" + jit + "/", "-nologo", "-v:q"]);
        ProcessRunner.RunChecked("dotnet", ["msbuild", cli, "-t:Publish;PublishReadyToRunTool", "-p:Configuration=Release", "-p:PublishDir=" + r2r + "/", "-nologo", "-v:q"]);
        ProcessRunner.RunChecked("dotnet", ["build", Path.Combine(HarnessPaths.RepoRoot, "benchmarks", "PatchGen.Macro.CecilRead"), "-c", "Release", "-o", floor, "-nologo", "-v:q"]);
        var runtimeConfig = Path.Combine(jit, "patchgen.runtimeconfig.json");
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(runtimeConfig))!;
        settings["runtimeOptions"]!["configProperties"]!.AsObject().Remove("System.Runtime.TieredPGO");
        File.WriteAllText(runtimeConfig, settings.ToJsonString());
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(jit))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        return new ColdBuilds(Path.Combine(jit, "patchgen.dll"), Path.Combine(copy, "patchgen.dll"), Path.Combine(r2r, "patchgen.dll"),
            Path.Combine(floor, "PatchGen.Macro.CecilRead.dll"));
    }

    /// <summary>
    /// For <c>--baseline</c>: this checkout's shipped tool and the floor, and the other checkout's published tool copied
    /// twice into the work folder (the A/A control: two byte-identical copies in two folders, as this checkout's own).
    /// </summary>
    public static (string Baseline, string BaselineCopy, string ReadyToRunTool, string Floor) PrepareAgainst(string workDirectory, string baselineDirectory, TextWriter log)
    {
        if (!File.Exists(Path.Combine(baselineDirectory, "patchgen.dll")))
            throw new ArgumentException("--baseline: no patchgen.dll in " + baselineDirectory);
        var root = Path.Combine(workDirectory, "cold");
        string r2r = Path.Combine(root, "r2r"), floor = Path.Combine(root, "floor"), baseline = Path.Combine(root, "baseline"), copy = Path.Combine(root, "baseline-copy");
        log.WriteLine("  publishing the tool ReadyToRun, building the floor, copying the baseline twice...");
        ProcessRunner.RunChecked("dotnet", ["msbuild", Path.Combine(HarnessPaths.CliProject, "PatchGen.Cli.csproj"), "-restore", "-t:Publish;PublishReadyToRunTool", "-p:Configuration=Release",
            "-p:PublishDir=" + r2r + "/", "-nologo", "-v:q"]);
        ProcessRunner.RunChecked("dotnet", ["build", Path.Combine(HarnessPaths.RepoRoot, "benchmarks", "PatchGen.Macro.CecilRead"), "-c", "Release", "-o", floor, "-nologo", "-v:q"]);
        foreach (var target in new[] { baseline, copy })
        {
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(baselineDirectory))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        return (Path.Combine(baseline, "patchgen.dll"), Path.Combine(copy, "patchgen.dll"), Path.Combine(r2r, "patchgen.dll"), Path.Combine(floor, "PatchGen.Macro.CecilRead.dll"));
    }
}
