using System.CommandLine;
using PatchGen.Cli.Failures;
using PatchGen.Diff;

namespace PatchGen.Cli;

/// <summary><c>patchgen diff &lt;base.dll&gt; &lt;new.dll&gt; [--json] [--model simple|extended]</c>: compares two builds and classifies every change.</summary>
internal static class DiffCommand
{
    public static Command Create(TextWriter stdout)
    {
        var basePath = new Argument<string>("base.dll") { Description = "The build running in production (v1)." };
        var newPath = new Argument<string>("new.dll") { Description = "The build with the fix (v2)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON (schema 1 of cli.md) instead of text." };
        var fullPaths = new Option<bool>("--full-paths") { Description = "Name source files by their full path, not relative to the project." };
        var model = ModelOption.Create();
        var pathMap = new Option<string?>("--path-map") { Description = "The compiler's path map (local=mapped,...; MSBuild's $(PathMap)) of a deterministic build: sources are read from, and named by, the local paths." };
        var command = new Command("diff", "Compare two builds of an assembly and classify every change. Exit 0: patchable; 1: not patchable; 2: input error; 3: nothing to patch.")
        {
            basePath,
            newPath,
            json,
            fullPaths,
            pathMap,
            model,
        };
        command.SetAction(parse =>
        {
            string baseFile = parse.GetRequiredValue(basePath), newFile = parse.GetRequiredValue(newPath);
            var paths = new SourcePathOptions { FullPaths = parse.GetValue(fullPaths), PathMap = parse.GetValue(pathMap) };
            var patchModel = ModelOption.Read(parse, model, "patchgen diff");
            var result = CommandErrors.WhenUnreadable(baseFile + ", " + newFile, "could not be compared",
                () => AssemblyDiffer.Compare(baseFile, newFile, paths, patchModel));
            stdout.Write(parse.GetValue(json) ? DiffReport.ToJson(result) : DiffReport.ToText(result));
            return result.ExitCode;
        });
        return command;
    }
}
