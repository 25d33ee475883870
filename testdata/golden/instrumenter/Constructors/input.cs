using System;
using System.Collections.Generic;

namespace Golden;

// Constructors get a site like any method, base-constructor call and field initializers included;
// the dispatch passes the object being built. A static constructor gets none: it runs once, before
// anything could be patched.
public class Entity
{
    protected readonly List<string> Log = new();

    protected Entity(string name)
    {
        Log.Add(name);
    }
}

public class Order : Entity
{
    private static readonly int s_seed = Environment.ProcessorCount;
    private readonly int _id;
    private readonly long _created = DateTime.UnixEpoch.Ticks;

    public Order(int id) : base("order " + id)
    {
        _id = id + s_seed;
        Log.Add("created");
    }

    public Order() : this(0)
    {
        Log.Add("empty");
    }
}

public struct Size
{
    public int Width;
    public int Height;

    public Size(int width, int height)
    {
        Width = Math.Max(0, width);
        Height = Math.Max(0, height);
    }
}
