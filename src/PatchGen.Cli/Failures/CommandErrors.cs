using PatchGen.Diagnostics;

namespace PatchGen.Cli.Failures;

/// <summary>
/// The failures commands throw, built from the catalogue: <see cref="FailureReport"/> prints them, so
/// that no command formats an error line or picks an exit code for one itself.
/// </summary>
internal static class CommandErrors
{
    /// <summary>An input error (PG0001, exit 2): <c>&lt;subject&gt;: &lt;reason&gt;</c>.</summary>
    public static PatchGenException Input(string subject, string reason, Exception? inner = null)
        => new(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, subject, reason), inner);

    /// <summary>A command line the parser accepted but the command cannot run (PG0001, exit 2), with a pointer to its help.</summary>
    public static PatchGenException Usage(string command, string problem)
        => Input(command, problem + $" (see '{command} --help')");

    /// <summary>The control channel of a live process failed while a request was under way (PG0001, exit 4: the process may have acted on it).</summary>
    public static CommandFailedException ChannelFailed(string reason, Exception inner)
        => new(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, "the control channel", reason), ExitCodes.RuntimeFailure, inner);

    /// <summary>A request the runtime of a live process refused, with its own ID and message (exit 4).</summary>
    public static CommandFailedException Refused(string id, string message)
        => new(new PatchDiagnostic(id, DiagnosticSeverity.Error, null, message, null, null), ExitCodes.RuntimeFailure);

    /// <summary>
    /// Runs an engine operation on <paramref name="subject"/>. What the engine anticipates is already a
    /// <see cref="PatchGenException"/>; anything else is almost always metadata the reader accepted but
    /// the operation could not decode (Cecil reads lazily), so it too is an input error naming the input:
    /// <c>&lt;subject&gt;: &lt;failure&gt; (&lt;exception type&gt;: &lt;message&gt;)</c>. Out of memory is not
    /// an input's fault and is left alone.
    /// </summary>
    public static T WhenUnreadable<T>(string subject, string failure, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is not (PatchGenException or OutOfMemoryException))
        {
            throw new PatchGenException(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable,
                subject, failure + " (" + e.GetType().Name + ": " + e.Message + ")"), e);
        }
    }

    /// <inheritdoc cref="WhenUnreadable{T}(string, string, Func{T})"/>
    public static void WhenUnreadable(string subject, string failure, Action operation)
        => WhenUnreadable(subject, failure, () =>
        {
            operation();
            return 0;
        });
}
