using System.CommandLine;
using PatchGen.Cli.Failures;
using PatchGen.Diff.Baseline;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen baseline &lt;app.dll&gt; -o &lt;app.patchgen-baseline.txt&gt;</c>: writes the baseline manifest
/// (docs/baseline-manifest.md) that the PatchGen analyzer compares the next version's source with.
/// The MSBuild integration runs it after every patchable build.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create(TextWriter stdout)
    {
        var input = new Argument<string>("app.dll") { Description = "The build to describe (plain or instrumented; its portable PDB, beside or embedded, names the sources)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the manifest (by convention <AssemblyName>.patchgen-baseline.txt).", Required = true };
        var command = new Command("baseline", "Write the baseline manifest of a build, for the PatchGen analyzer. Exit 0: written; 2: input error.")
        {
            input,
            output,
        };
        command.SetAction(parse =>
        {
            var inputPath = parse.GetRequiredValue(input);
            var outputPath = parse.GetRequiredValue(output);
            CommandErrors.WhenUnreadable(inputPath, "could not be described", () => BaselineWriter.Write(inputPath, outputPath));
            stdout.WriteLine("patchgen: wrote the baseline manifest of " + inputPath + " to " + outputPath);
            return ExitCodes.Success;
        });
        return command;
    }
}
