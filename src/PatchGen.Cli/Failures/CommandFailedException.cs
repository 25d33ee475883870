using PatchGen.Diagnostics;

namespace PatchGen.Cli.Failures;

/// <summary>
/// A failure that ends a command with a diagnostic and an exit code of its own, for failures that are
/// not input errors (exit 2): the runtime of a live process refused a request, or its control channel
/// broke while one was under way (exit 4). <see cref="FailureReport"/> prints it.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(PatchDiagnostic diagnostic, int exitCode, Exception? inner = null)
        : base(diagnostic.Message, inner)
    {
        Diagnostic = diagnostic;
        ExitCode = exitCode;
    }

    public PatchDiagnostic Diagnostic { get; }

    public int ExitCode { get; }
}
