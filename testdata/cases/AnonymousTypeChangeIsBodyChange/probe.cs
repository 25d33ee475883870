// expect: stays loaded (System.Text.Json caches the metadata of the patch's anonymous type for good, so the patch cannot be collected)
// Customer serializes an anonymous type to JSON; v2 renames its Name property to Username.
public static class Probe
{
    public static string Run() => Cases.Export.Customer("ann", 3) + " " + Cases.Export.Product("x1", 2.5m);
}
