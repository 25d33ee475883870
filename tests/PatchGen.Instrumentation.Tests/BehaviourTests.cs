using System.Reflection;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// With no patch loaded, the instrumented build behaves exactly like the original: every check of the
/// sample library gives the same answer, and exceptions propagate the same way.
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

    [Theory]
    [MemberData(nameof(CheckNames))]
    public void SameAnswerAsTheOriginal(string check)
    {
        var expected = Run(SampleBuild.Original, check);
        var actual = Run(SampleBuild.Instrumented, check);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ExceptionsPropagate()
    {
        var fail = SampleBuild.Instrumented.GetType("Lib.Thrower", true)!.GetMethod("Fail")!;
        for (int i = 0; i < 3; i++)
        {
            var e = Assert.Throws<TargetInvocationException>(() => fail.Invoke(null, new object[] { 7 }));
            Assert.Equal("boom 7", Assert.IsType<InvalidOperationException>(e.InnerException).Message);
        }
        Assert.Equal(0, fail.Invoke(null, new object[] { 0 }));
    }

    [Fact]
    public async Task AsyncFlowsRunOnEveryThread()
    {
        var flows = SampleBuild.Instrumented.GetType("Lib.Flows", true)!;
        var tasks = Enumerable.Range(0, 8).Select(i => (Task<int>)flows.GetMethod("DelayAdd")!.Invoke(null, new object[] { i })!).ToArray();
        Assert.Equal(Enumerable.Range(1, 8), await Task.WhenAll(tasks));
    }
}
