// Find and Project for ids 0 and 1 after storing entities under both in the private _items (reflection):
// v2's Find ignores ids <= 0, so id 0 is not found (Project returns the fallback).
using System.Collections.Generic;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var repo = new Cases.Repository<string>();
        var items = (Dictionary<int, string>)typeof(Cases.Repository<string>).GetField("_items", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(repo)!;
        items[0] = "zero";
        items[1] = "one";
        return string.Join(" ",
            repo.Find(0) ?? "null", repo.Find(1) ?? "null", repo.Find(2) ?? "null",
            repo.Project(0, s => s.Length, -1), repo.Project(1, s => s.Length, -1), repo.Project(2, s => s.Length, -1));
    }
}
