// Search("a") over names put into the private _names (reflection): v2's lambda ignores case, so it also finds "Apple".
using System.Collections.Generic;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var catalog = new Cases.Catalog();
        var names = (List<string>)typeof(Cases.Catalog).GetField("_names", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(catalog)!;
        names.AddRange(new[] { "Apple", "apricot", "Banana", "avocado" });
        return string.Join(",", catalog.Search("a")) + " | " + string.Join(",", catalog.Search("B"));
    }
}
