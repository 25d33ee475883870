using System.Diagnostics;
using PatchGen.Runtime.Control;
using PatchGen.TestSupport;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// <c>DOTNET_STARTUP_HOOKS=&lt;path&gt;/PatchGen.Runtime.dll</c> makes an unchanged application patchable:
/// a real child process, with the runtime in a folder of its own (so its reference to
/// PatchGen.Diagnostics must be resolved beside it).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StartupHookTests
{
    [Fact]
    public void AnUnchangedApplicationStartedWithTheHookAnswersAndRemovesItsSocketOnExit()
    {
        var channel = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("hook-channel"), "channel");
        using var app = ConsoleApp.StartWaitingAppWithHook("HookedApp", typeof(PatchRuntime).Assembly.Location, channel);
        try
        {
            Assert.Equal("ready", ReadLine(app));
            var path = ControlEndpoint.SocketPath(channel, app.Id);
            Assert.True(File.Exists(path), "no socket at " + path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using (var client = ControlClient.ConnectTo(app.Id, path, IoTimeout))
            {
                var status = AssertOk(client.Send(Request("status")));
                Assert.Empty(status["patches"]!.AsArray());
                Assert.Null(status["transition"]);
                // Refusals are worded by PatchGen.Diagnostics, which only the hook's resolver can find.
                Assert.Contains("no transition", AssertError(client.Send(Request("force")), "PG4003"));
            }
            app.StandardInput.WriteLine();
            app.StandardInput.Close();
            Assert.True(app.WaitForExit((int)IoTimeout.TotalMilliseconds), "the application did not exit");
            Assert.Equal(0, app.ExitCode);
            Assert.False(File.Exists(path), "the socket file outlived the process");
        }
        finally
        {
            Stop(app);
        }
    }

    [Fact]
    public void AnApplicationWhoseChannelCannotOpenStillRuns()
    {
        var channel = PatchGen.TestSupport.InlineAssembly.TempDirectory("hook-open-folder");
        File.SetUnixFileMode(channel, (UnixFileMode)0b111_111_111);
        using var app = ConsoleApp.StartWaitingAppWithHook("HookedApp", typeof(PatchRuntime).Assembly.Location, channel);
        try
        {
            Assert.Equal("ready", ReadLine(app));
            app.StandardInput.Close();
            Assert.True(app.WaitForExit((int)IoTimeout.TotalMilliseconds), "the application did not exit");
            Assert.Equal(0, app.ExitCode);
            Assert.Contains("patchgen: warning: no control channel for this process: refusing the control folder", app.StandardError.ReadToEnd());
        }
        finally
        {
            Stop(app);
        }
    }


    private static string? ReadLine(Process app)
    {
        var line = app.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(IoTimeout), "the application did not start: " + (app.HasExited ? app.StandardError.ReadToEnd() : "still running"));
        return line.Result;
    }

    private static void Stop(Process app)
    {
        if (!app.HasExited)
        {
            app.Kill();
            app.WaitForExit((int)IoTimeout.TotalMilliseconds);
        }
    }
}
