using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Cli.Tests;

/// <summary>
/// The one path from a failure to what the user sees (<see cref="FailureReport"/>): every kind of
/// failure is one line with a catalogue ID and the exit code of docs/cli.md, including the ones
/// nothing anticipated (PG0009), which used to escape as a stack trace.
/// </summary>
public class FailureReportTests
{
    /// <summary>Standard output that fails the way a broken pipe or a bug in a writer would.</summary>
    private sealed class FailingWriter(Exception failure) : StringWriter
    {
        public override void Write(char value) => throw failure;

        public override void Write(string? value) => throw failure;

        public override void Write(char[] buffer, int index, int count) => throw failure;
    }

    private static (int ExitCode, string StdErr) RunWithStdout(TextWriter stdout, params string[] args)
    {
        var stderr = new StringWriter();
        return (PatchGenCommandLine.Run(args, stdout, stderr), stderr.ToString());
    }

    [Fact]
    public void AnUnexpectedExceptionIsOneInternalErrorLineWithExitTwo()
    {
        var (exitCode, stderr) = RunWithStdout(new FailingWriter(new InvalidOperationException("the writer broke")), "diff", "--help");

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"patchgen: error {DiagnosticCatalog.InternalError.Id}: diff --help: internal error (InvalidOperationException: the writer broke); this is a bug in PatchGen, please report it\n",
            stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnInputOutputFailureOutsideTheEngineNamesTheCommandLine()
    {
        var (exitCode, stderr) = RunWithStdout(new FailingWriter(new IOException("No space left on device")), "diff", "--help");

        Assert.Equal(2, exitCode);
        Assert.Equal("patchgen: error PG0001: diff --help: No space left on device\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void EachKindOfFailureGetsItsLineAndExitCode()
    {
        var input = CommandErrors.Input("v1/Shop.dll", "file not found");
        var refused = CommandErrors.Refused("PG4005", "apply of fix-2 was refused: the transition of fix-1 is still in progress");
        var channel = CommandErrors.ChannelFailed("the process closed the connection", new IOException("reset"));
        var usage = CommandErrors.Usage("patchgen build", "give --base and --new, or --project and --diff");

        Assert.Equal((2, "patchgen: error PG0001: v1/Shop.dll: file not found\n"), Report(input));
        Assert.Equal((4, "patchgen: error PG4005: apply of fix-2 was refused: the transition of fix-1 is still in progress\n"), Report(refused));
        Assert.Equal((4, "patchgen: error PG0001: the control channel: the process closed the connection\n"), Report(channel));
        Assert.Equal((2, "patchgen: error PG0001: patchgen build: give --base and --new, or --project and --diff (see 'patchgen build --help')\n"), Report(usage));
        Assert.Equal((2, "patchgen: error PG0001: inspect x.dll: Access to the path is denied.\n"), Report(new UnauthorizedAccessException("Access to the path is denied.")));
    }

    [Fact]
    public void AnUnanticipatedEngineFailureIsAnInputErrorNamingTheInput()
    {
        var failure = Assert.Throws<PatchGenException>(() => CommandErrors.WhenUnreadable<int>("fix.dll", "not a readable patch: corrupt metadata",
            () => throw new BadImageFormatException("bad blob")));
        Assert.Equal("PG0001", failure.Diagnostic.Id);
        Assert.Equal("fix.dll: not a readable patch: corrupt metadata (BadImageFormatException: bad blob)", failure.Diagnostic.Message);

        // What the engine anticipated keeps its own diagnostic.
        var anticipated = CommandErrors.Input("fix.dll", "file not found");
        Assert.Same(anticipated, Assert.Throws<PatchGenException>(() => CommandErrors.WhenUnreadable<int>("fix.dll", "unused", () => throw anticipated)));
    }

    [Theory]
    [InlineData("warning PG4002: the transition of fix was forced")]
    [InlineData("PG4002: the transition of fix was forced")]
    public void AWarningIsOneLineWhetherTheProcessOrTheToolWroteIt(string warning)
    {
        var stderr = new StringWriter();
        FailureReport.WriteWarning(stderr, warning);
        Assert.Equal("patchgen: warning PG4002: the transition of fix was forced\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    private static (int, string) Report(Exception failure)
    {
        var stderr = new StringWriter();
        int exitCode = FailureReport.Report(failure, "inspect x.dll", stderr);
        return (exitCode, stderr.ToString().ReplaceLineEndings("\n"));
    }
}
