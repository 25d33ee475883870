using System.Collections.Generic;

namespace Hooked;

public static class Journal
{
    public static readonly List<string> Events = new();

    public static string Greeting() => "hello";
}
