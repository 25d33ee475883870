using System.CommandLine;
using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.Diff.Baseline;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen baseline &lt;app.dll&gt; -o &lt;app.patchgen-baseline.txt&gt;</c>: writes the baseline manifest
/// (docs/baseline-manifest.md) that the PatchGen analyzer compares the next version's source with.
/// The MSBuild integration runs it after every patchable build.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
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
            try
            {
                BaselineWriter.Write(inputPath, outputPath);
            }
            catch (PatchGenException e)
            {
                PatchGenCommandLine.WriteError(stderr, e.Diagnostic);
                return ExitCodes.InputError;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Metadata the reader accepted but the description could not handle: still one line naming the input.
                PatchGenCommandLine.WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null,
                    inputPath, "could not be described (" + e.GetType().Name + ": " + e.Message + ")"));
                return ExitCodes.InputError;
            }
            stdout.WriteLine("patchgen: wrote the baseline manifest of " + inputPath + " to " + outputPath);
            return ExitCodes.Success;
        });
        return command;
    }
}
