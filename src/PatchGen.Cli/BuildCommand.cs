using System.CommandLine;
using System.Globalization;
using System.Text;
using PatchGen.Cli.Failures;
using PatchGen.Diff;
using PatchGen.Emit;
using PatchGen.SourcePatching;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen build --base &lt;base.dll&gt; --new &lt;new.dll&gt; -o &lt;patch.dll&gt; [--sign &lt;key&gt;]</c> and
/// <c>patchgen build --project &lt;app.csproj&gt; --diff &lt;fix.patch&gt; -o &lt;patch.dll&gt;</c>: writes a patch
/// assembly, or explains with the diff engine's diagnostics why it cannot.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(TextWriter stdout)
    {
        var basePath = new Option<string[]>("--base") { Description = "The patchable build running in production (v1, instrumented); repeat with --new for each assembly of one patch. With --project: bind the patch to this build instead of the rebuilt original." };
        var newPath = new Option<string[]>("--new") { Description = "The build with the fix (v2); the n-th --new goes with the n-th --base." };
        var project = new Option<string[]>("--project") { Description = "The project (or solution: .sln, .slnx) to build before and after --diff (the kpatch-build flow); repeat for several: one patch of every assembly the fix changes among them and the projects they reference." };
        var diff = new Option<string?>("--diff") { Description = "A unified diff (git diff, diff -u) of the fix, relative to the project folder (or --source-root)." };
        var sourceRoot = new Option<string?>("--source-root") { Description = "With --project: the folder copied and that the diff's paths are relative to (default: the project's folder)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the patch.", Required = true };
        var sign = new Option<string?>("--sign") { Description = "A strong-name key pair (.snk) to sign the patch with." };
        var id = new Option<string?>("--id") { Description = "The patch ID (default: the output file name without extension)." };
        var cumulative = new Option<bool>("--cumulative") { Description = "A cumulative patch: enabling it atomically replaces every patch applied before." };
        var fullPaths = new Option<bool>("--full-paths") { Description = "Name source files in diagnostics by their full path, not relative to the project (for MSBuild and IDEs)." };
        var changedOnly = new Option<bool>("--changed-only") { Description = "With several --base/--new pairs: a pair whose two builds do not differ at all is no base of the patch (PatchGen.Build's baseline-folder mode passes it)." };
        var model = ModelOption.Create();
        var pathMap = new Option<string?>("--path-map") { Description = "The compiler's path map (local=mapped,...; MSBuild's $(PathMap)) of a deterministic build: sources are read from, and named by, the local paths." };
        var command = new Command("build", "Emit a patch assembly from two builds, or from a project and a source diff. Exit 0: patch written; 1: not patchable; 2: input error; 3: nothing to patch.")
        {
            basePath, newPath, project, diff, sourceRoot, output, sign, id, cumulative, fullPaths, pathMap, model, changedOnly,
        };
        command.SetAction(parse =>
        {
            var outputPath = parse.GetRequiredValue(output);
            var patchModel = ModelOption.Read(parse, model, "patchgen build");
            Func<PatchBuildOptions, PatchBuildOptions> configure = o => o with
            {
                PatchId = parse.GetValue(id),
                Cumulative = parse.GetValue(cumulative),
                KeyFile = parse.GetValue(sign),
                SourcePaths = new SourcePathOptions { FullPaths = parse.GetValue(fullPaths), PathMap = parse.GetValue(pathMap) },
                Model = patchModel,
            };
            string? diffPath = parse.GetValue(diff);
            string[] projects = parse.GetValue(project) ?? [], baseFiles = parse.GetValue(basePath) ?? [], newFiles = parse.GetValue(newPath) ?? [];
            bool fromProject = projects.Length > 0 || diffPath is not null;
            if (fromProject && (projects.Length == 0 || diffPath is null || newFiles.Length > 0))
                throw CommandErrors.Usage("patchgen build", "--project and --diff go together, without --new");
            if (fromProject && baseFiles.Length > 1)
                throw CommandErrors.Usage("patchgen build", "with --project, at most one --base");
            if (baseFiles.Length > 0 && projects.Length > 1)
                throw CommandErrors.Usage("patchgen build", "--base binds the patch of one project; not with several --project");
            if (!fromProject && (baseFiles.Length == 0 || baseFiles.Length != newFiles.Length))
                throw CommandErrors.Usage("patchgen build", "give --base and --new (one --new for each --base), or --project and --diff");
            string? baseFile = baseFiles.FirstOrDefault();
            // An unanticipated failure is almost always metadata the reader accepted but the diff or the
            // emitter could not decode, in any input: name them all, as 'diff' does, not just the base.
            var inputs = fromProject ? string.Join(", ", projects) : string.Join(", ", baseFiles.Zip(newFiles).SelectMany(p => new[] { p.First, p.Second }));
            var result = CommandErrors.WhenUnreadable(inputs, "could not be built into a patch", () =>
            {
                if (!fromProject)
                {
                    var pairs = baseFiles.Zip(newFiles).Select(p => new AssemblyPair(p.First, p.Second)).ToList();
                    if (parse.GetValue(changedOnly))
                        pairs = Changed(pairs);
                    return PatchBuilder.Build(configure(new PatchBuildOptions(pairs[0].BasePath, pairs[0].NewPath, outputPath) { MorePairs = pairs.Skip(1).ToList() }));
                }
                using var builder = new ProjectPatchBuilder(projects, new ProjectPatchBuilderOptions { SourceRoot = parse.GetValue(sourceRoot) });
                if (baseFiles.Length > 0 && builder.Projects.Count > 1)
                    throw CommandErrors.Usage("patchgen build", "--base binds the patch of one project; not with a solution of several");
                stdout.WriteLine($"patchgen: building {string.Join(", ", builder.Inputs.Select(Path.GetFileName))} as it is and with {Path.GetFileName(diffPath)} applied (dotnet build -c Release)...");
                var built = ProjectPatchBuild.Build(builder, diffPath!, outputPath, baseFile, configure);
                foreach (var name in built.LeftOut)
                    stdout.WriteLine($"patchgen: {name} changed, but only test projects load it: not part of the patch");
                return built.Patch;
            });
            stdout.Write(Report(result));
            return result.ExitCode;
        });
        return command;
    }

    /// <summary>
    /// The pairs whose builds differ (any change the diff engine reports, not only bodies: a rejected change must
    /// still be reported), in their order; the first pair alone when none does, so that "nothing to patch" is said of it.
    /// </summary>
    private static List<AssemblyPair> Changed(List<AssemblyPair> pairs)
    {
        if (pairs.Count == 1)
            return pairs;
        var changed = pairs.Where(p => AssemblyDiffer.Compare(p.BasePath, p.NewPath).Changes.Count > 0).ToList();
        return changed.Count > 0 ? changed : [pairs[0]];
    }

    /// <summary>The diagnostics in MSBuild's canonical form, then what was written (or why nothing was).</summary>
    internal static string Report(PatchBuildResult result)
    {
        var text = new StringBuilder();
        foreach (var diagnostic in result.Diagnostics)
            text.Append(diagnostic.ToString()).Append('\n');
        switch (result.ExitCode)
        {
            case 0 when result.Bases.Count == 1:
                text.Append(CultureInfo.InvariantCulture,
                    $"patchgen: wrote {result.OutputPath}: patch '{result.PatchId}' for {result.Diff.Base.Name} (base MVID {result.Diff.Base.Mvid}), replacing {Methods(result.Replaced.Count)}, in {result.Duration.TotalSeconds:0.00} s\n");
                foreach (var (member, site) in result.Replaced)
                    text.Append(CultureInfo.InvariantCulture, $"  {member} (site {site}{Carried(result.Bases[0], member)})\n");
                break;
            case 0:
                // One patch, one transition, bound to every base: each base with what it replaces there.
                text.Append(CultureInfo.InvariantCulture,
                    $"patchgen: wrote {result.OutputPath}: patch '{result.PatchId}' for {result.Bases.Count} assemblies, replacing {Methods(result.Replaced.Count)}, in {result.Duration.TotalSeconds:0.00} s\n");
                foreach (var patched in result.Bases)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {patched.Name} (base MVID {patched.Mvid}): {Methods(patched.Replaced.Count)}\n");
                    foreach (var (member, site) in patched.Replaced)
                        text.Append(CultureInfo.InvariantCulture, $"    {member} (site {site}{Carried(patched, member)})\n");
                }
                break;
            case 1:
                text.Append("patchgen: NOT patchable; nothing written\n");
                break;
            default:
                text.Append("patchgen: nothing to patch; nothing written\n");
                break;
        }
        return text.ToString();
    }

    /// <summary>Why an unchanged method is replaced: the base runs an inline clone of a changed one in it (docs/patch-sites.md).</summary>
    private static string Carried(PatchedBase patched, string member)
        => patched.Carried.TryGetValue(member, out var because) ? "; unchanged, replaced because it runs an inlined copy of " + because : "";

    private static string Methods(int count) => count == 1 ? "1 method" : count.ToString(CultureInfo.InvariantCulture) + " methods";
}
