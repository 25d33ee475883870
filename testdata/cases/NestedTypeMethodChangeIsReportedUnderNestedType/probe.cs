// Shelf.Store accepts everything in v1; v2 refuses units beyond a capacity of 500.
public static class Probe
{
    public static string Run()
    {
        var shelf = new Cases.Warehouse().Main;
        return string.Join(",", shelf.Store(400), shelf.Store(100), shelf.Store(1));
    }
}
