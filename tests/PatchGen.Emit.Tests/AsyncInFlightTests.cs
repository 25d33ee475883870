using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>
/// Async methods with calls in flight while the patch transitions (PG3005): a suspended call is on
/// no thread's stack, so it does not hold the transition; it finishes on the code that started it
/// (the base's state machine, or after a disable the patch's), while calls started after the switch
/// run the new code. The patch unloads once its last state machine has finished.
/// </summary>
public class AsyncInFlightTests
{
    private const string V1 = """
        using System.Threading.Tasks;
        namespace Flight;
        public sealed class Downloader
        {
            private readonly string _name = "doc";
            public async Task<string> FetchAsync(Task release)
            {
                string head = _name + ":" + Head();
                await release;
                return head + "+v1";
            }
            private static string Head() => "h1";
        }
        public static class Api
        {
            public static Task<string> Start(Task release) => new Downloader().FetchAsync(release);
        }
        """;

    private const string V2 = """
        using System.Threading.Tasks;
        namespace Flight;
        public sealed class Downloader
        {
            private readonly string _name = "doc";
            public async Task<string> FetchAsync(Task release)
            {
                string head = _name + ":" + Head();
                await release;
                await Task.Yield();
                return head + "+v2";
            }
            private static string Head() => "h1";
        }
        public static class Api
        {
            public static Task<string> Start(Task release) => new Downloader().FetchAsync(release);
        }
        """;

    [Fact]
    public async Task CallsInFlightFinishOnTheCodeThatStartedThem()
    {
        var patch = InlinePatch.Create("async-in-flight", V1, V2);
        var id = await RunCallsAcrossEnableAndDisable(patch);
        // The tasks of the patch's state machines are boxes whose type is instantiated over the patch's
        // types: once they are finished and unreferenced (they were locals of the method above), nothing
        // keeps the patch alive.
        Assert.True(PatchRuntime.Unload(id, TimeSpan.FromSeconds(10)), "the patch's state machines are finished: nothing keeps it alive");
    }

    private static async Task<string> RunCallsAcrossEnableAndDisable(InlinePatch patch)
    {
        Task<string> Start(TaskCompletionSource release) => (Task<string>)patch.Call("Flight.Api", "Start", release.Task)!;
        TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        var beforeGate = Gate();
        var before = Start(beforeGate);
        Assert.False(before.IsCompleted);

        var info = PatchRuntime.Enable(patch.PatchPath);
        Assert.True(PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(10)).Completed, "a suspended async call must not hold the transition");
        var afterGate = Gate();
        var after = Start(afterGate);

        beforeGate.SetResult();
        afterGate.SetResult();
        Assert.Equal("doc:h1+v1", await before.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("doc:h1+v2", await after.WaitAsync(TimeSpan.FromSeconds(10)));

        // Started under the patch, finished after it was disabled: still the patch's state machine.
        var acrossDisableGate = Gate();
        var acrossDisable = Start(acrossDisableGate);
        PatchRuntime.Disable(info.Id);
        Transitions.Complete();
        var afterDisable = Start(Completed());
        acrossDisableGate.SetResult();
        Assert.Equal("doc:h1+v2", await acrossDisable.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("doc:h1+v1", await afterDisable.WaitAsync(TimeSpan.FromSeconds(10)));
        return info.Id;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
