using System.Reflection;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// With no patch loaded, the instrumented build behaves exactly like the original: every check of the
/// sample library gives the same answer, exceptions propagate the same way, and the shadow stack is
/// empty again afterwards.
/// </summary>
public class BehaviourTests
{
    public static TheoryData<string> CheckNames()
    {
        var data = new TheoryData<string>();
        foreach (var method in SampleBuild.Original.GetType("Lib.Checks", throwOnError: true)!.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).OrderBy(m => m.Name))
            data.Add(method.Name);
        return data;
    }

    private static string Run(Assembly assembly, string check)
        => (string)assembly.GetType("Lib.Checks", throwOnError: true)!.GetMethod(check)!.Invoke(null, null)!;

    private static int ShadowDepth => ThreadPatchState.CurrentOrNull?.Depth ?? 0;

    [Theory]
    [MemberData(nameof(CheckNames))]
    public void SameAnswerAsTheOriginal(string check)
    {
        var expected = Run(SampleBuild.Original, check);
        var actual = Run(SampleBuild.Instrumented, check);
        Assert.Equal(expected, actual);
        Assert.Equal(0, ShadowDepth);
    }

    [Fact]
    public void ExceptionsPropagateAndTheShadowStackUnwinds()
    {
        var fail = SampleBuild.Instrumented.GetType("Lib.Thrower", true)!.GetMethod("Fail")!;
        for (int i = 0; i < 3; i++)
        {
            var e = Assert.Throws<TargetInvocationException>(() => fail.Invoke(null, new object[] { 7 }));
            Assert.Equal("boom 7", Assert.IsType<InvalidOperationException>(e.InnerException).Message);
            Assert.Equal(0, ShadowDepth);
        }
        Assert.Equal(0, fail.Invoke(null, new object[] { 0 }));
    }

    [Fact]
    public void TrackedMethodsAreOnTheShadowStackWhileTheyRun()
    {
        // 100 nested tracked frames: more than the initial 32 slots, so the shadow stack grows.
        var probe = SampleBuild.Instrumented.GetType("Lib.Calc", true)!.GetMethod("Probe")!;
        var seen = (int)probe.Invoke(null, new object[] { 100, new Func<int>(() => ShadowDepth) })!;
        Assert.Equal(101, seen);
        Assert.Equal(0, ShadowDepth);

        var original = SampleBuild.Original.GetType("Lib.Calc", true)!.GetMethod("Probe")!;
        Assert.Equal(0, (int)original.Invoke(null, new object[] { 100, new Func<int>(() => ShadowDepth) })!);
    }

    [Fact]
    public async Task AsyncFlowsUnwindOnEveryThread()
    {
        var flows = SampleBuild.Instrumented.GetType("Lib.Flows", true)!;
        var tasks = Enumerable.Range(0, 8).Select(i => (Task<int>)flows.GetMethod("DelayAdd")!.Invoke(null, new object[] { i })!).ToArray();
        Assert.Equal(Enumerable.Range(1, 8), await Task.WhenAll(tasks));
        Assert.Equal(0, await Task.Run(() => ShadowDepth));
    }
}
