// Point.ToString with less than the minimum execution stack left: v1's synthesized PrintMembers starts
// with RuntimeHelpers.EnsureSufficientExecutionStack() and throws, v2's user-written one does not check.
using System;
using System.Runtime.CompilerServices;
using System.Threading;

public static class Probe
{
    public static string Run()
    {
        var point = new Cases.Point(3, 4);
        // Called once with plenty of stack first, so that nothing needs compiling near the limit.
        string normal = ToStringNearLimit(point);
        string nearLimit = "";
        // A thread of its own, with a known stack, to use up the stack deterministically.
        var thread = new Thread(() => nearLimit = Descend(point), 1024 * 1024);
        thread.Start();
        thread.Join();
        return "normal: " + normal + "; near the stack limit: " + nearLimit;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Descend(Cases.Point point)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            return ToStringNearLimit(point);
        Span<byte> pad = stackalloc byte[512];
        pad[0] = 1;
        string result = Descend(point);
        return pad[0] == 1 ? result : "";   // uses the frame after the call: no tail call
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ToStringNearLimit(Cases.Point point)
    {
        try
        {
            return point.ToString();
        }
        catch (InsufficientExecutionStackException e)
        {
            return "throws " + e.GetType().Name;
        }
    }
}
