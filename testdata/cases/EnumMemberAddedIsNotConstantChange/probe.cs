// IsOpen for each status value 1..4 (4 is v2's new Cancelled, passed as a number): v2 reports 4 as not open.
using System.Linq;

public static class Probe
{
    public static string Run()
        => string.Join(" ", Enumerable.Range(1, 4).Select(i => i + ":" + Cases.Workflow.IsOpen((Cases.OrderStatus)i)));
}
