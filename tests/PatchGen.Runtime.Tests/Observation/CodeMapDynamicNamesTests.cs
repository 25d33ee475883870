using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// The code map's index of dynamic methods by name (how a thread's own stack check finds what the JIT
/// inlined into a DynamicMethod frame): it lists exactly the live dynamic versions of a name.
/// </summary>
public sealed class CodeMapDynamicNamesTests
{
    private static MethodLoadRecord Load(ulong methodId, ulong start, string name, bool dynamic = true)
        => new(methodId, 0x10, start, 0x40, dynamic ? 0u : 0x06000001u, (dynamic ? RuntimeEventDecoder.FlagDynamic : 0) | RuntimeEventDecoder.FlagJitted,
            new EventMethodName("dynamicClass", name, "int32  ()"), 0);

    [Fact]
    public void ListsTheLiveDynamicVersionsOfANameOnly()
    {
        var map = new CodeMap();
        map.Add(Load(1, 0x1000, "lambda_method1"), CodeVersionSource.Jit, []);
        map.Add(Load(2, 0x2000, "lambda_method1"), CodeVersionSource.Jit, []);
        map.Add(Load(3, 0x3000, "lambda_method1", dynamic: false), CodeVersionSource.Jit, []);
        map.Add(Load(4, 0x4000, "lambda_method2"), CodeVersionSource.Jit, []);
        Assert.Equal([1ul, 2ul], map.DynamicVersionsNamed("lambda_method1").Select(v => v.MethodId).Order());

        // Collected (MethodUnloadVerbose): one of the name is left.
        map.Remove(Load(1, 0x1000, "lambda_method1"));
        Assert.Equal(2ul, Assert.Single(map.DynamicVersionsNamed("lambda_method1")).MethodId);

        // Its code memory reused by a newer method: the older one is gone once the addresses are sorted.
        map.Add(Load(5, 0x2000, "lambda_method3"), CodeVersionSource.Jit, []);
        Assert.Equal(5ul, map.FindByAddress(0x2010)!.MethodId);
        Assert.Empty(map.DynamicVersionsNamed("lambda_method1"));
        Assert.Single(map.DynamicVersionsNamed("lambda_method2"));
        Assert.Empty(map.DynamicVersionsNamed("nothing"));
    }
}
