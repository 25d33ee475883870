using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>Waiting for a transition, with the runtime's own account (PG4001) when it does not complete.</summary>
internal static class Transitions
{
    public static void Complete(int seconds = 10)
    {
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(seconds));
        Assert.True(result.Completed, "transition did not complete: " + result.Warning);
    }
}
