using System.Runtime.CompilerServices;

namespace PatchGen.Runtime.Tests;

public sealed class ShadowVariablesTests
{
    private sealed class Order { }

    [Fact]
    public void AttachGetAndRemoveByOwnerAndId()
    {
        var order = new Order();
        Assert.Null(ShadowVariables.Get<StrongBox<int>>(order, 1));
        var key = ShadowVariables.GetOrAdd(order, 1, _ => new StrongBox<int>(41));
        key.Value++;
        Assert.Equal(42, ShadowVariables.Get<StrongBox<int>>(order, 1)!.Value);
        Assert.Same(key, ShadowVariables.GetOrAdd(order, 1, _ => new StrongBox<int>(0)));
        Assert.Null(ShadowVariables.Get<StrongBox<int>>(new Order(), 1));
        Assert.Null(ShadowVariables.Get<StrongBox<int>>(order, 2));
        Assert.True(ShadowVariables.Remove(order, 1));
        Assert.False(ShadowVariables.Remove(order, 1));
    }

    [Fact]
    public void RemoveAllDetachesOneIdFromEveryObject()
    {
        var a = new Order();
        var b = new Order();
        ShadowVariables.Set(a, 900, "a");
        ShadowVariables.Set(b, 900, "b");
        ShadowVariables.Set(b, 901, "keep");
        Assert.Equal(2, ShadowVariables.RemoveAll(900));
        Assert.Null(ShadowVariables.Get<string>(a, 900));
        Assert.Equal("keep", ShadowVariables.Get<string>(b, 901));
    }

    [Fact]
    public void ValuesDieWithTheirOwner()
    {
        var weak = Attach();
        for (int i = 0; i < 10 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Attach()
    {
        var value = new object();
        ShadowVariables.Set(new Order(), 902, value);
        return new WeakReference(value);
    }

    [Fact]
    public void ConcurrentGetOrAddAgreesOnOneValue()
    {
        var order = new Order();
        var seen = new System.Collections.Concurrent.ConcurrentBag<object>();
        Parallel.For(0, 64, _ => seen.Add(ShadowVariables.GetOrAdd(order, 903, _ => new object())));
        Assert.Single(seen.Distinct());
    }
}
