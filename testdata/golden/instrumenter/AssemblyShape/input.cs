using System.Runtime.CompilerServices;

namespace Golden;

// What the instrumenter adds around the methods: the PatchableAssembly attribute and the runtime
// reference, the <PatchGen>Sites type (no static constructor; Table, one slot per site, the stubs),
// and the module initializer, which calls PatchSites.Observe() before the one the module already has.
internal static class Startup
{
    public static int Calls;

    [ModuleInitializer]
    internal static void Initialize()
    {
        Calls++;
    }
}

public class Greeter
{
    public string Greet(string name) => "Hello, " + name + "!";

    public static void Touch(ref int counter, object state)
    {
        counter += state.GetHashCode() & 1;
    }
}
