using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Cli.Failures;

/// <summary>
/// The one place where a failure becomes what the user sees: one line on standard error,
/// <c>patchgen: error PGxxxx: ...</c>, naming the input, and an exit code of docs/cli.md; never a stack
/// trace. Commands throw (<see cref="CommandErrors"/>); the command line catches once and comes here.
/// </summary>
internal static class FailureReport
{
    /// <summary>Prints <paramref name="failure"/> and returns the exit code it ends the command with.</summary>
    /// <param name="commandLine">The arguments as typed, naming the input when the failure itself does not.</param>
    public static int Report(Exception failure, string commandLine, TextWriter stderr)
    {
        switch (failure)
        {
            case CommandFailedException command:
                WriteError(stderr, command.Diagnostic);
                return command.ExitCode;
            case PatchGenException input:
                WriteError(stderr, input.Diagnostic);
                return ExitCodes.InputError;
            case IOException or UnauthorizedAccessException:
                // A file the command touched outside what its engine checks (its own output, say): the
                // system's reason is the message, and only the command line can say which input it was.
                WriteError(stderr, PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, commandLine, failure.Message));
                return ExitCodes.InputError;
            default:
                // Nothing anticipated this: a bug in PatchGen. Still one line, with what a report needs.
                WriteError(stderr, PatchDiagnostic.Of(DiagnosticCatalog.InternalError, commandLine, failure.GetType().Name + ": " + failure.Message));
                return ExitCodes.InputError;
        }
    }

    /// <summary>One line: <c>patchgen: error PG0001: v1/Shop.dll: file not found</c>.</summary>
    public static void WriteError(TextWriter stderr, PatchDiagnostic diagnostic)
        => stderr.WriteLine($"patchgen: {DiffReport.SeverityName(diagnostic.Severity)} {diagnostic.Id}: {diagnostic.Message}");

    /// <summary>
    /// A warning the process sent (<c>warning PG4001: ...</c>) or the tool's own (<c>PG4001: ...</c>), as one
    /// line: <c>patchgen: warning PG4001: ...</c>. The runtime's lines already start with "warning " (they
    /// are what its log hook prints), which must not be said twice.
    /// </summary>
    public static void WriteWarning(TextWriter stderr, string warning)
    {
        const string Prefix = "warning ";
        var text = warning.StartsWith(Prefix, StringComparison.Ordinal) ? warning[Prefix.Length..] : warning;
        stderr.WriteLine("patchgen: " + Prefix + text);
    }
}
