using System.Diagnostics;
using System.Text.Json.Nodes;
using PatchGen.Cli.Live;

namespace PatchGen.Cli.Demo;

/// <summary>
/// The demos' live steps, over the control channel exactly as <c>patchgen apply --pid</c> and
/// <c>patchgen disable --pid</c> take them: the request, then the transition followed to its end (with
/// the same progress lines). Each returns how long the transition took, or null when it did not
/// complete within 30 s (the warning is already printed).
/// </summary>
internal static class LiveSteps
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TimeSpan? Apply(int pid, string patchFile, TextWriter stdout, TextWriter stderr)
        => Run(pid, new JsonObject { ["op"] = "apply", ["image"] = Convert.ToBase64String(File.ReadAllBytes(patchFile)), ["source"] = Path.GetFileName(patchFile) }, stdout, stderr);

    public static TimeSpan? Disable(int pid, string patchId, TextWriter stdout, TextWriter stderr)
        => Run(pid, new JsonObject { ["op"] = "disable", ["id"] = patchId }, stdout, stderr);

    private static TimeSpan? Run(int pid, JsonObject request, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        using var session = LiveSession.Open(pid, stdout, stderr);
        session.Send(request);
        return session.FollowTransition(Timeout) ? clock.Elapsed : null;
    }
}
