using System.Linq.Expressions;
using System.Reflection;
using System.Threading;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Frames of compiled expressions (<c>lambda_method&lt;N&gt;</c>, a DynamicMethod, as every ASP.NET Core
/// request has one) are judged by what the JIT recorded inlining into their code
/// (docs/consistency-model.md, "Inlining"): one that inlined nothing changed does not hold its thread,
/// one that inlined a changed function is inside it. The expressions call an instrumented base; every
/// version of a changed function checks that the <c>Step</c> it calls is of its own version.
/// </summary>
public sealed class DynamicMethodFrameTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading;
        namespace Probe;

        public class Calc
        {
            public static long Mixed;
            public static string? Where;
            public static long Calls;
            public static volatile bool Stop;
            public static readonly ManualResetEventSlim Running = new(false);
            public static readonly ManualResetEventSlim Gate = new(false);

            public static void Mix(string where) { Interlocked.Increment(ref Mixed); Where = where + " on " + Thread.CurrentThread.Name; }

            [MethodImpl(MethodImplOptions.NoInlining)]
            public long Step() => 0;

            // Reached from the expression through a call its code does not inline.
            [MethodImpl(MethodImplOptions.NoInlining)]
            public long Work() { Interlocked.Increment(ref Calls); long first = Step(); Thread.SpinWait(20); if (Step() != first || first != 0) Mix("Work 0"); return first; }

            // Inlined into the expression's code: a thread blocked in Wait is inside it.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public long Tiny() { long first = Step(); Wait(); if (Step() != first || first != 0) Mix("Tiny 0"); return first; }

            [MethodImpl(MethodImplOptions.NoInlining)]
            public void Wait() { Running.Set(); Gate.Wait(); }
        }
        """;

    private static string Versioned(int k) => $$"""
        [Replaces("M:Probe.Calc.Step")] public static long Step(Probe.Calc self) => {{k}};
        [Replaces("M:Probe.Calc.Work")] public static long Work(Probe.Calc self) { System.Threading.Interlocked.Increment(ref Probe.Calc.Calls); long first = self.Step(); System.Threading.Thread.SpinWait(20); if (self.Step() != first || first != {{k}}) Probe.Calc.Mix("Work {{k}}"); return first; }
        [Replaces("M:Probe.Calc.Tiny")] public static long Tiny(Probe.Calc self) { long first = self.Step(); self.Wait(); if (self.Step() != first || first != {{k}}) Probe.Calc.Mix("Tiny {{k}}"); return first; }
        """;

    private static readonly Dictionary<string, string> Originals = Versioned(0).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .ToDictionary(line => line[(line.IndexOf("(\"", StringComparison.Ordinal) + 2)..line.IndexOf("\")]", StringComparison.Ordinal)],
                      line => line[(line.IndexOf("\")]", StringComparison.Ordinal) + 3)..].Trim());

    private readonly ProbeBase _probe = ProbeBase.CreateInstrumented(Source, Originals);

    public void Dispose() => RuntimeFixture.Settle();

    private Type CalcType => _probe.Assembly.GetType("Probe.Calc")!;

    private T Static<T>(string name) => (T)CalcType.GetField(name)!.GetValue(null)!;

    private void AssertNoneMixed()
    {
        long mixed = Static<long>("Mixed");
        Assert.True(mixed == 0, $"{mixed} mixed call chains, the last in {Static<string?>("Where") ?? "?"}");
    }

    private long Call(string method) => (long)CalcType.GetMethod(method)!.Invoke(_probe.Calc, null)!;

    /// <summary><c>() => { while (!Calc.Stop) calc.Work(); }</c>, compiled: the expression's frame stays on the thread's stack.</summary>
    private Action LoopCallingWork()
    {
        var exit = Expression.Label();
        var body = Expression.Loop(
            Expression.IfThenElse(Expression.Field(null, CalcType.GetField("Stop")!), Expression.Break(exit),
                Expression.Call(Expression.Constant(_probe.Calc), CalcType.GetMethod("Work")!)),
            exit);
        return Expression.Lambda<Action>(body).Compile();
    }

    [Fact]
    public void ExpressionFrameThatInlinedNothingChangedLetsItsThreadsSwitch()
    {
        var loop = LoopCallingWork();
        var threads = Enumerable.Range(0, 3).Select(i => new Thread(() => loop()) { IsBackground = true, Name = "lambda-" + i }).ToList();
        threads.ForEach(t => t.Start());
        WaitUntil(() => Static<long>("Calls") > 10_000, "the expression never called Work");
        var facts = RecordOf(loop.Method, _ => true);
        Assert.DoesNotContain(facts.Inlinees, i => i.StartsWith("Probe.Calc::", StringComparison.Ordinal));

        PatchRuntime.Enable(_probe.Patch("dyn-work-" + _probe.Name, Versioned(1)));
        // The threads never leave the expression's frame: they can only switch themselves at an entry of Work.
        RuntimeFixture.WaitCompleted();
        long calls = Static<long>("Calls");
        WaitUntil(() => Static<long>("Calls") > calls + 1000, "the threads stopped calling Work");
        Assert.Equal(1, Call("Work"));

        CalcType.GetField("Stop")!.SetValue(null, true);
        threads.ForEach(t => Assert.True(t.Join(RuntimeFixture.Bound), t.Name + " did not stop"));
        AssertNoneMixed();
    }

    [Fact]
    public void ExpressionFrameThatInlinedAChangedFunctionIsInsideIt()
    {
        var tiny = Expression.Lambda<Func<long>>(Expression.Call(Expression.Constant(_probe.Calc), CalcType.GetMethod("Tiny")!)).Compile();
        var thread = new Thread(() => tiny()) { IsBackground = true, Name = "lambda-inl" };
        thread.Start();
        Assert.True(Static<ManualResetEventSlim>("Running").Wait(RuntimeFixture.Bound), "the expression never reached Wait");
        RecordOf(tiny.Method, f => f.Inlinees.Contains("Probe.Calc::Tiny"));

        PatchRuntime.Enable(_probe.Patch("dyn-tiny-" + _probe.Name, Versioned(1)));
        // Blocked inside the inlined Tiny: the certifier must see the expression's frame as inside it.
        Assert.False(PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(500)).Completed);
        WaitUntil(() => PatchRuntime.GetStatus().Transition?.PendingThreads.Any(t => t.Name == "lambda-inl" && t.Functions.Contains($"M:Probe.Calc.Tiny (inlined into dynamicClass::{tiny.Method.Name})")) == true,
            () => "the expression's frame was never named inside Tiny; pending: " + string.Join("; ", PatchRuntime.GetStatus().Transition?.PendingThreads.Select(t => t.Name + ": " + string.Join(",", t.Functions)) ?? []));

        // Released, the old Tiny calls Step again: the thread's own check must keep it on the old Step.
        Static<ManualResetEventSlim>("Gate").Set();
        Assert.True(thread.Join(RuntimeFixture.Bound));
        RuntimeFixture.WaitCompleted();
        AssertNoneMixed();
    }

    public static TheoryData<int> SameNamedMethods => new() { 1, 2 };

    [Theory]
    [MemberData(nameof(SameNamedMethods))]
    public void DynamicMethodIsJudgedByItsRecordOnlyWhenItsNameIsUnique(int count)
    {
        string name = "patchgen_dyn_" + Guid.NewGuid().ToString("N");
        var methods = Enumerable.Range(0, count).Select(_ => Compiled(name)).ToList();
        if (count == 1)
            RecordOf(methods[0], _ => true);
        else
        {
            // Each is compiled and in the record; which of them a stack frame runs is not known by name.
            Assert.True(InlineKnowledge.Source!.CatchUp(RuntimeFixture.Bound));
            Assert.All(methods, m => Assert.Null(InlineKnowledge.Source.FactsOf(m)));
        }
    }

    private static System.Reflection.Emit.DynamicMethod Compiled(string name)
    {
        var method = new System.Reflection.Emit.DynamicMethod(name, typeof(int), Type.EmptyTypes, typeof(DynamicMethodFrameTests).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4_7);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        Assert.Equal(7, ((Func<int>)method.CreateDelegate(typeof(Func<int>)))());
        return method;
    }

    /// <summary>The JIT's complete record of what it inlined into <paramref name="method"/>'s code, once it satisfies <paramref name="expected"/> (bounded: events lag).</summary>
    private static InlineFacts RecordOf(MethodBase method, Func<InlineFacts, bool> expected)
    {
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        InlineFacts? facts = null;
        while (DateTime.UtcNow < deadline)
        {
            facts = InlineKnowledge.Source?.FactsOf(method);
            if (facts is { Evidence: InlineEvidence.Recorded } && expected(facts))
                return facts;
            Thread.Sleep(50);
        }
        Assert.Fail($"no complete record as expected for {method.Name}: {(facts is null ? "none" : facts.Evidence + ", inlinees " + string.Join(", ", facts.Inlinees))}");
        return null!;
    }

    private static void WaitUntil(Func<bool> condition, string failure) => WaitUntil(condition, () => failure);

    private static void WaitUntil(Func<bool> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            Thread.Sleep(20);
        }
    }
}
