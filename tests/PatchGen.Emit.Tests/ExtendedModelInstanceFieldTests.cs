using System.Runtime.Loader;
using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// The extended model's added instance fields (PG3012) on a live process: an account made before the
/// patch sees the fields' constant initializers, and the default of one whose initializer is a call
/// (existing objects do not run it); one made after sees what v2's constructor assigns. A thread makes
/// and uses accounts across enable and disable, and every answer is whole; a second, non-cumulative
/// copy of the fields is refused (PG4003), a cumulative one replaces the first and finds its values;
/// disable removes every shadow value and both patches unload.
/// </summary>
public class ExtendedModelInstanceFieldTests
{
    private const string AssemblyName = "Extended.AddedInstance";

    private const string V1 = """
        namespace Cases;

        public class Account
        {
            private int _balance;

            public void Deposit(int amount)
            {
                _balance += amount;
            }

            public string Report() => "balance=" + _balance;
        }
        """;

    private const string V2 = """
        using System.Threading;

        namespace Cases;

        public class Account
        {
            private int _balance;
            private int _deposits;
            private long _limit = 100;
            private string? _currency = DefaultCurrency();

            public void Deposit(int amount)
            {
                if (_balance + amount > _limit)
                    return;
                _balance += amount;
                Interlocked.Increment(ref _deposits);
            }

            public string Report() => "balance=" + _balance + " " + (_currency ?? "none") + " deposits=" + _deposits + " limit=" + _limit;

            private static string DefaultCurrency() => "EUR";
        }
        """;

    private const string V1Answer = "balance=120";
    private const string V2Answer = "balance=90 EUR deposits=2 limit=100";

    [Fact]
    public void ExistingObjectsSeeInitialValuesNewObjectsTheConstructorsAndDisableLeavesNothing()
    {
        var work = InlineAssembly.TempDirectory("extended-added-instance");
        var v1 = InlineAssembly.Compile(Path.Combine(work, "v1"), AssemblyName, V1);
        var v2 = InlineAssembly.Compile(Path.Combine(work, "v2"), AssemblyName, V2);
        var patchable = Path.Combine(work, "base", AssemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchable, new InstrumentOptions { CopyRuntime = false });

        // The simple model refuses the fix; the extended model shadows the three fields.
        var simple = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, Path.Combine(work, "simple.dll")));
        Assert.Equal(1, simple.ExitCode);
        Assert.Equal(3, simple.Diagnostics.Count(d => d.Id == DiagnosticCatalog.FieldAdded.Id));
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, patchPath) { PatchId = "added-instance", Model = PatchModel.Extended });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        Assert.Equal(3, build.Diagnostics.Count(d => d.Id == DiagnosticCatalog.AddedInstanceFieldShadowed.Id && d.Severity == DiagnosticSeverity.Warning));
        var again = Path.Combine(work, "again.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(patchable, v2, again) { PatchId = "added-instance-again", Model = PatchModel.Extended }).ExitCode);
        var cumulative = Path.Combine(work, "cumulative.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(patchable, v2, cumulative) { PatchId = "added-instance-cumulative", Model = PatchModel.Extended, Cumulative = true }).ExitCode);

        var type = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable).GetType("Cases.Account", throwOnError: true)!;
        object New() => Activator.CreateInstance(type)!;
        void Deposit(object account, int amount) => type.GetMethod("Deposit")!.Invoke(account, new object[] { amount });
        string Report(object account) => (string)type.GetMethod("Report")!.Invoke(account, null)!;
        string Run()
        {
            var account = New();
            Deposit(account, 40);
            Deposit(account, 50);
            Deposit(account, 30);
            return Report(account);
        }
        int limitId = AddedInstanceFieldShadows.ShadowId("F:Cases.Account._limit");

        var before = New();
        Deposit(before, 10);
        Assert.Equal("balance=10", Report(before));
        Assert.Equal(V1Answer, Run());

        // A thread in flight across enable and disable: it may switch between its calls, so an
        // account may meet v1's and v2's methods, but every answer is one of the two shapes. Once a
        // transition completed, the answers of the runs begun after it are all of the new shape: a run
        // begun before (its account made by the old constructor) is not counted then (the epoch, moved on
        // under the lock with the clearing, tells them apart).
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        int epoch = 0;
        var worker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                int begun = Volatile.Read(ref epoch);
                var answer = Run();
                lock (seen)
                {
                    if (begun == epoch)
                        seen.Add(answer);
                }
            }
        }) { IsBackground = true, Name = "added-instance-in-flight" };
        worker.Start();
        try
        {
            var info = PatchRuntime.Enable(patchPath);
            Transitions.Complete();
            lock (seen)
            {
                Assert.All(seen, a => Assert.Matches(@"^balance=\d+( (EUR|none) deposits=\d+ limit=100)?$", a));
                seen.Clear();
                Volatile.Write(ref epoch, epoch + 1);
            }
            WaitForAnswers(seen);
            lock (seen)
                Assert.All(seen, a => Assert.Equal(V2Answer, a));

            // Made after the patch: what v2's constructor assigns.
            Assert.Equal(V2Answer, Run());
            // Made before: the constant initializer (the limit), the default where the initializer is a call (the currency).
            Deposit(before, 20);
            Deposit(before, 80);
            Assert.Equal("balance=30 none deposits=1 limit=100", Report(before));
            Assert.NotNull(ShadowVariables.Get<object>(before, limitId));
            // The live type never gets the fields.
            Assert.Null(type.GetField("_limit", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));

            // A second copy of the fields stacked on the first would split every object's value between the patches.
            var refused = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(again));
            Assert.Equal(DiagnosticCatalog.PatchConflict.Id, refused.DiagnosticId);
            Assert.Contains("F:Cases.Account.", refused.Message, StringComparison.Ordinal);

            // A cumulative patch replaces the first whole, and its code finds the values the first one's left.
            var replacing = PatchRuntime.Enable(cumulative);
            Transitions.Complete();
            Assert.Equal("balance=30 none deposits=1 limit=100", Report(before));
            Assert.Equal(V2Answer, Run());

            PatchRuntime.Disable(replacing.Id);
            Transitions.Complete();
            lock (seen)
            {
                seen.Clear();
                Volatile.Write(ref epoch, epoch + 1);
            }
            WaitForAnswers(seen);
            lock (seen)
                Assert.All(seen, a => Assert.Equal(V1Answer, a));

            // Disable left nothing behind: no object holds a value of the fields, and the patch unloads.
            Assert.Null(ShadowVariables.Get<object>(before, limitId));
            Assert.Equal(0, ShadowVariables.RemoveAll(limitId));
            Assert.Equal("balance=30", Report(before));
            Assert.True(PatchRuntime.Unload(replacing.Id, TimeSpan.FromSeconds(10)));
            Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            stop.Cancel();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker thread did not stop");
        }
    }

    private const string HookedV1 = """
        using System.Collections.Generic;
        namespace Hooked;
        public static class Journal
        {
            public static readonly List<string> Events = new();
        }
        public class Counter
        {
            public int Next() => 1;
        }
        """;

    private const string HookedV2 = """
        using System.Collections.Generic;
        namespace Hooked
        {
            public static class Journal
            {
                public static readonly List<string> Events = new();
            }
            public class Counter
            {
                private int _count;
                public int Next() => ++_count;
            }
            internal static class Hooks
            {
                [PatchGen.Runtime.PatchCallback(PatchGen.Runtime.PatchCallbackKind.PostUnpatch)]
                private static void Done() => Journal.Events.Add("post-unpatch");
            }
        }
        namespace PatchGen.Runtime
        {
            internal enum PatchCallbackKind { PrePatch, PostPatch, PreUnpatch, PostUnpatch }
            [System.AttributeUsage(System.AttributeTargets.Method)]
            internal sealed class PatchCallbackAttribute : System.Attribute { public PatchCallbackAttribute(PatchCallbackKind kind) { } }
        }
        """;

    /// <summary>A patch has one post-unpatch callback: the fix's own removes the shadow values first, then does its work.</summary>
    [Fact]
    public void TheFixsOwnPostUnpatchCallbackAlsoRemovesTheShadowValues()
    {
        var patch = InlinePatch.Create("added-instance-hooked", HookedV1, HookedV2, PatchModel.Extended);
        Assert.Equal(new[] { ("PostUnpatch", "Hooked.Hooks::Done") }, PatchInspector.Inspect(patch.PatchPath).Callbacks);
        var events = (List<string>)patch.Live.GetType("Hooked.Journal")!.GetField("Events")!.GetValue(null)!;
        var type = patch.Live.GetType("Hooked.Counter", throwOnError: true)!;
        var counter = Activator.CreateInstance(type)!;
        int Next() => (int)type.GetMethod("Next")!.Invoke(counter, null)!;
        int id = AddedInstanceFieldShadows.ShadowId("F:Hooked.Counter._count");

        Assert.Equal(1, Next());
        var info = PatchRuntime.Enable(patch.PatchPath);
        Transitions.Complete();
        Assert.Equal(1, Next());
        Assert.Equal(2, Next());
        Assert.NotNull(ShadowVariables.Get<object>(counter, id));
        PatchRuntime.Disable(info.Id);
        Transitions.Complete();
        Assert.Equal(new[] { "post-unpatch" }, events);
        Assert.Null(ShadowVariables.Get<object>(counter, id));
        Assert.Equal(1, Next());
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    private static void WaitForAnswers(List<string> seen)
        => Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count > 0; }, TimeSpan.FromSeconds(10)), "the worker gave no answer");
}
