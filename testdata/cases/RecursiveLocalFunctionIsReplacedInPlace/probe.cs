// TotalWeight of a tree with a negative weight: v1 sums it, v2 counts negative weights as 0.
public static class Probe
{
    public static string Run()
    {
        var leaf = new Cases.Node { Weight = -3 };
        var child = new Cases.Node { Weight = 4 };
        child.Children.Add(leaf);
        var root = new Cases.Node { Weight = 5 };
        root.Children.Add(child);
        root.Children.Add(new Cases.Node { Weight = -1 });
        return Cases.Tree.TotalWeight(root).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
