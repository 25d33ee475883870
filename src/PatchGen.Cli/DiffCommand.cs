using System.CommandLine;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Cli;

/// <summary><c>patchgen diff &lt;base.dll&gt; &lt;new.dll&gt; [--json]</c>: compares two builds and classifies every change.</summary>
internal static class DiffCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var basePath = new Argument<string>("base.dll") { Description = "The build running in production (v1)." };
        var newPath = new Argument<string>("new.dll") { Description = "The build with the fix (v2)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON (schema 1 of cli.md) instead of text." };
        var fullPaths = new Option<bool>("--full-paths") { Description = "Name source files by their full path, not relative to the project." };
        var pathMap = new Option<string?>("--path-map") { Description = "The compiler's path map (local=mapped,...; MSBuild's $(PathMap)) of a deterministic build: sources are read from, and named by, the local paths." };
        var command = new Command("diff", "Compare two builds of an assembly and classify every change. Exit 0: patchable; 1: not patchable; 2: input error; 3: nothing to patch.")
        {
            basePath,
            newPath,
            json,
            fullPaths,
            pathMap,
        };
        command.SetAction(parse =>
        {
            var result = Compare(parse.GetRequiredValue(basePath), parse.GetRequiredValue(newPath), stderr,
                new SourcePathOptions { FullPaths = parse.GetValue(fullPaths), PathMap = parse.GetValue(pathMap) });
            if (result is null)
                return ExitCodes.InputError;
            stdout.Write(parse.GetValue(json) ? DiffReport.ToJson(result) : DiffReport.ToText(result));
            return result.ExitCode;
        });
        return command;
    }

    /// <summary>Runs the diff engine; input errors are printed as one line and give null.</summary>
    internal static DiffResult? Compare(string basePath, string newPath, TextWriter stderr, SourcePathOptions? paths = null)
    {
        try
        {
            return AssemblyDiffer.Compare(basePath, newPath, paths ?? SourcePathOptions.Default);
        }
        catch (PatchGenException e)
        {
            PatchGenCommandLine.WriteError(stderr, e.Diagnostic);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failure the engine did not anticipate is still reported as one line naming the inputs:
            // it is almost always metadata the loader accepted but the comparison could not decode.
            PatchGenCommandLine.WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null,
                basePath + ", " + newPath, "could not be compared (" + e.GetType().Name + ": " + e.Message + ")"));
            return null;
        }
    }
}
