using System.Text.Json.Nodes;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// Every op of docs/control-channel.md through a real connection to this process's channel, against
/// a real instrumented base and real patches (<see cref="ProbeBase"/>): Outer(1) = 21 originally.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlOperationTests : IDisposable
{
    public void Dispose() => RuntimeFixture.Settle();

    [Fact]
    public void StatusOfAnIdleRuntimeHasNoTransition()
    {
        RuntimeFixture.Settle();
        using var client = Connect();
        var status = AssertOk(client.Send(Request("status")));
        Assert.IsType<JsonArray>(status["patches"]);
        Assert.True(status.ContainsKey("transition"));
        Assert.Null(status["transition"]);
        Assert.True(status.ContainsKey("lastFailure"));
    }

    [Fact]
    public void ApplyWaitStatusAndDisableAPatch()
    {
        var probe = ProbeBase.Create();
        var image = probe.Patch("ctl-apply-1", ProbeBase.Inner("x + 2"));
        using var client = Connect();

        var applied = AssertOk(client.Send(Request("apply", ("image", Convert.ToBase64String(image)), ("source", "ctl-apply-1.dll"))));
        var patch = applied["patch"]!;
        Assert.Equal("ctl-apply-1", patch["id"]!.GetValue<string>());
        Assert.Equal(probe.Name, patch["target"]!.GetValue<string>());
        Assert.Contains(patch["state"]!.GetValue<string>(), new[] { "enabling", "enabled" });
        Assert.False(patch["cumulative"]!.GetValue<bool>());
        Assert.False(patch["forced"]!.GetValue<bool>());
        Assert.Equal("M:Probe.Calc.Inner(System.Int32)", Assert.Single(patch["replaces"]!.AsArray())!.GetValue<string>());
        Assert.True(patch.AsObject().ContainsKey("publicKeyToken"));
        Assert.Null(patch["publicKeyToken"]);

        var waited = AssertOk(client.Send(Request("wait", ("timeoutMs", 20_000))));
        Assert.True(waited["completed"]!.GetValue<bool>());
        Assert.Null(waited["warning"]);

        var status = AssertOk(client.Send(Request("status")));
        Assert.Null(status["transition"]);
        var listed = status["patches"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "ctl-apply-1")!;
        Assert.Equal("enabled", listed["state"]!.GetValue<string>());
        Assert.Equal(31, probe.Call("Outer", 1));

        var disabled = AssertOk(client.Send(Request("disable", ("id", "ctl-apply-1"))));
        Assert.Contains(disabled["patch"]!["state"]!.GetValue<string>(), new[] { "disabling", "disabled" });
        Assert.True(AssertOk(client.Send(Request("wait", ("timeoutMs", 20_000))))["completed"]!.GetValue<bool>());
        Assert.Equal(21, probe.Call("Outer", 1));
        var after = AssertOk(client.Send(Request("status")));
        Assert.Equal("disabled", after["patches"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "ctl-apply-1")!["state"]!.GetValue<string>());
    }

    [Fact]
    public void GarbageImageIsRefusedWithPG0001AndTheProcessKeepsWorking()
    {
        var probe = ProbeBase.Create();
        using var client = Connect();
        var message = AssertError(client.Send(Request("apply", ("image", Convert.ToBase64String(new byte[] { 1, 2, 3, 4 })), ("source", "garbage.dll"))), "PG0001");
        Assert.Contains("garbage.dll", message);
        Assert.Equal(21, probe.Call("Outer", 1));
        // A refusal is an answer: the same connection goes on.
        var status = AssertOk(client.Send(Request("status")));
        Assert.Null(status["transition"]);
        AssertChannelWorks();
    }

    [Fact]
    public void PatchForAnotherBaseIsRefusedWithPG0005()
    {
        var probe = ProbeBase.Create();
        var other = ProbeBase.Create();
        var image = Compiler.Compile("ctl_wrong_base", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("ctl-wrong-base", "{{probe.Name}}", "{{other.Mvid}}")]
            public static class R { [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(object self, int x) => 0; }
            """);
        using var client = Connect();
        var message = AssertError(client.Send(Request("apply", ("image", Convert.ToBase64String(image)), ("source", "wrong-base.dll"))), "PG0005");
        Assert.Contains(other.Mvid.ToString(), message);
        var status = AssertOk(client.Send(Request("status")));
        Assert.DoesNotContain(status["patches"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "ctl-wrong-base");
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void ApplyDuringAHeldTransitionIsRefusedWithPG4005AndForceCompletesIt()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "ctl-parked");
        try
        {
            using var operator1 = Connect();
            using var operator2 = Connect();
            AssertOk(operator1.Send(Request("apply", ("image", Convert.ToBase64String(probe.Patch("ctl-busy-1", ProbeBase.Block("-1")))), ("source", "busy-1.dll"))));

            // The first certification round takes a stack snapshot (a few hundred ms); until it has, the
            // warning names no thread yet.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string warning;
            do
            {
                var waited = AssertOk(operator1.Send(Request("wait", ("timeoutMs", 300))));
                Assert.False(waited["completed"]!.GetValue<bool>());
                warning = waited["warning"]!.GetValue<string>();
                Assert.StartsWith("warning PG4001", warning);
            }
            while (!warning.Contains("ctl-parked") && clock.Elapsed < TimeSpan.FromSeconds(20));
            Assert.Contains("ctl-parked", warning);

            // A round may also hold a thread for a moment (one entering a patched function, or running code compiled
            // too recently to be named yet): wait for a round that holds only the parked one.
            JsonNode transition;
            JsonArray pending;
            do
            {
                transition = AssertOk(operator2.Send(Request("status")))["transition"]!;
                pending = transition["pendingThreads"]!.AsArray();
            }
            while (pending.Count != 1 && clock.Elapsed < TimeSpan.FromSeconds(20) && Pause());
            Assert.Equal("ctl-busy-1", transition["patchId"]!.GetValue<string>());
            Assert.True(transition["enabling"]!.GetValue<bool>());
            Assert.True(transition["elapsedMs"]!.GetValue<long>() >= 0);
            Assert.True(pending.Count == 1, "pending threads: " + pending.ToJsonString());
            var straggler = pending[0]!;
            // A thread that has not entered a patched function since the transition began is known only
            // from a stack snapshot: by its OS thread ID and name.
            Assert.Contains(straggler["id"]!.GetValue<int>(), new[] { 0, parked.ManagedThreadId });
            Assert.True(straggler["osThreadId"]!.GetValue<int>() > 0, straggler.ToJsonString());
            Assert.Equal("ctl-parked", straggler["name"]!.GetValue<string>());
            Assert.Contains("M:Probe.Calc.Block(System.Int32)", straggler["functions"]!.AsArray().Select(f => f!.GetValue<string>()));

            // A second operator, on its own connection, while the first transition is held open.
            var refused = AssertError(operator2.Send(Request("apply", ("image", Convert.ToBase64String(probe.Patch("ctl-busy-2", ProbeBase.Inner("x")))), ("source", "busy-2.dll"))), "PG4005");
            Assert.Contains("ctl-busy-1", refused);

            var forced = AssertOk(operator1.Send(Request("force")));
            Assert.StartsWith("warning PG4002", forced["warning"]!.GetValue<string>());
            var status = AssertOk(operator2.Send(Request("status")));
            Assert.Null(status["transition"]);
            Assert.Equal("enabled", status["patches"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "ctl-busy-1")!["state"]!.GetValue<string>());
            Assert.DoesNotContain(status["patches"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "ctl-busy-2");
        }
        finally
        {
            RuntimeFixture.Release(probe, parked);
        }
        Assert.Equal(-1, probe.Call("Block", 1));
    }

    [Fact]
    public void RefusalsOfTheRuntimeKeepTheirIds()
    {
        using var client = Connect();
        RuntimeFixture.Settle();
        Assert.Contains("no transition", AssertError(client.Send(Request("force")), "PG4003"));
        Assert.Contains("no-such-patch", AssertError(client.Send(Request("disable", ("id", "no-such-patch"))), "PG4003"));
        AssertOk(client.Send(Request("status")));
    }

    private static bool Pause()
    {
        Thread.Sleep(50);
        return true;
    }
}
