using System.Collections.Generic;

namespace Cases;

public class WorkQueue
{
    private readonly Queue<string> _items = new();

    public void Push(string item) => _items.Enqueue(item);

    public int Pending => _items.Count;
}
