using System.CommandLine;
using PatchGen.Cli.Failures;

namespace PatchGen.Cli;

/// <summary>
/// Builds the command tree and runs it. Every failure, whichever command it comes from, is caught here
/// once and becomes one line on standard error, <c>patchgen: error PGxxxx: ...</c>, naming the input, and
/// an exit code of docs/cli.md (<see cref="FailureReport"/>); never a stack trace.
/// </summary>
internal static class PatchGenCommandLine
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = CreateRoot(stdout, stderr);
        var commandLine = string.Join(' ', args);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors get the same one-line form as any other input error (exit 2), with a pointer to --help.
            var command = parse.CommandResult.Command;
            var name = command == root ? "patchgen" : "patchgen " + command.Name;
            return FailureReport.Report(CommandErrors.Usage(name, parse.Errors[0].Message), commandLine, stderr);
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FailureReport.Report(e, commandLine, stderr);
        }
    }

    /// <summary>Every command of the tool; docs/cli.md documents each (a test holds it to that).</summary>
    internal static RootCommand CreateRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("PatchGen: live patching for .NET. Diff two builds of an assembly under the simple model, make an assembly patchable, build and inspect patches, write the baseline manifest for the analyzer.");
        root.Subcommands.Add(DiffCommand.Create(stdout));
        root.Subcommands.Add(InstrumentCommand.Create(stdout));
        root.Subcommands.Add(BuildCommand.Create(stdout));
        root.Subcommands.Add(InspectCommand.Create(stdout));
        root.Subcommands.Add(BaselineCommand.Create(stdout));
        root.Subcommands.Add(Live.LiveCommands.Apply(stdout, stderr));
        root.Subcommands.Add(PatchDirectory.ListCommand.Create(stdout, stderr));
        root.Subcommands.Add(Live.LiveCommands.Disable(stdout, stderr));
        root.Subcommands.Add(Live.LiveCommands.Force(stdout, stderr));
        root.Subcommands.Add(Live.PsCommand.Create(stdout));
        root.Subcommands.Add(PatchDirectory.InstallCommand.Create(stdout));
        root.Subcommands.Add(PatchDirectory.UninstallCommand.Create(stdout));
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr));
        return root;
    }
}
