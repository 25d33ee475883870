using System.Collections.Generic;

namespace Cases;

public class Node
{
    public List<Node> Children { get; } = new();
    public int Weight { get; set; }
}

public static class Tree
{
    public static int TotalWeight(Node root)
    {
        return Walk(root);

        static int Walk(Node node)
        {
            int sum = node.Weight;
            foreach (var child in node.Children)
                sum += Walk(child);
            return sum;
        }
    }
}
