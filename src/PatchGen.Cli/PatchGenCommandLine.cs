using System.CommandLine;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Cli;

/// <summary>
/// Builds the command tree and runs it. Every failure becomes one line on standard error,
/// <c>patchgen: error PGxxxx: ...</c>, naming the input, and an exit code from cli.md;
/// never a stack trace.
/// </summary>
internal static class PatchGenCommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("PatchGen: live patching for .NET. Diff two builds of an assembly under the simple model, make an assembly patchable, build and inspect patches, write the baseline manifest for the analyzer.");
        root.Subcommands.Add(DiffCommand.Create(stdout, stderr));
        root.Subcommands.Add(InstrumentCommand.Create(stdout, stderr));
        root.Subcommands.Add(BuildCommand.Create(stdout, stderr));
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr));
        root.Subcommands.Add(BaselineCommand.Create(stdout, stderr));
        root.Subcommands.Add(Live.LiveCommands.Apply(stdout, stderr));
        root.Subcommands.Add(PatchDirectory.ListCommand.Create(stdout, stderr));
        root.Subcommands.Add(Live.LiveCommands.Disable(stdout, stderr));
        root.Subcommands.Add(Live.LiveCommands.Force(stdout, stderr));
        root.Subcommands.Add(PatchDirectory.InstallCommand.Create(stdout, stderr));
        root.Subcommands.Add(PatchDirectory.UninstallCommand.Create(stdout, stderr));
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors get the same one-line form as any other input error (exit 2), with a pointer to --help.
            var command = parse.CommandResult.Command;
            var name = command == root ? "patchgen" : "patchgen " + command.Name;
            WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null, name, parse.Errors[0].Message + $" (see '{name} --help')"));
            return ExitCodes.InputError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (PatchGenException e)
        {
            WriteError(stderr, e.Diagnostic);
            return ExitCodes.InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null, string.Join(' ', args), e.Message));
            return ExitCodes.InputError;
        }
    }

    /// <summary>One line: <c>patchgen: error PG0001: v1/Shop.dll: file not found</c>.</summary>
    public static void WriteError(TextWriter stderr, PatchDiagnostic diagnostic)
        => stderr.WriteLine($"patchgen: {DiffReport.SeverityName(diagnostic.Severity)} {diagnostic.Id}: {diagnostic.Message}");
}
