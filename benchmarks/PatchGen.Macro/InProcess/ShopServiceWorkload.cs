using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Runtime;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// The ShopService sample's request path (parse a cart, price it with bulk discount, coupon and per-line tax,
/// answer in JSON), driven in process through <c>RequestHandler.Handle</c> as
/// benchmarks/PatchGen.Benchmarks/Runtime does. One operation is the six requests of <see cref="Requests"/>.
/// Four variants: plain #1, plain #2 (A/A), instrumented, and patched: another instrumented copy with the fix
/// applied through <see cref="PatchRuntime"/>, its transition completed.
/// </summary>
/// <remarks>
/// The runtime looks for a patch's target in the default load context only (by name and MVID), so the patched
/// copy is loaded there while the other three live in load contexts of their own; the instrumented copy in its
/// own context has the same MVID but is not the patch's target and keeps running v1, which is checked.
/// </remarks>
internal static class ShopServiceWorkload
{
    public const string Name = "shop";
    public const string PatchedName = "patched";

    /// <summary>Quotes that touch every tax category (the default fix changes the reduced rate), stock and ping.</summary>
    public static readonly string[] Requests =
    [
        "QUOTE MUG-001:1,BOOK-001:2,COFFEE-1:1,CABLE-01:12,GIFT-025:1 coupon=SAVE10",
        "QUOTE BOOK-001:2,COFFEE-1:1",
        "QUOTE TEE-001:3,BOOK-002:1,KBD-001:1",
        "QUOTE MUG-001:1 coupon=SAVE10",
        "STOCK KBD-001",
        "PING",
    ];

    public static void Prepare(string workDirectory, string fix, TextWriter log) => ShopServiceBuilds.Create(Path.Combine(workDirectory, Name), fix, log);

    /// <summary>The workload over the builds <see cref="Prepare"/> made; enables the patch in this process.</summary>
    public static Workload Create(string workDirectory, string fix, TextWriter log)
    {
        var builds = ShopServiceBuilds.Locate(Path.Combine(workDirectory, Name), fix);
        string Copy(string variant, string dll)
        {
            var dir = Path.Combine(workDirectory, Name, variant);
            Directory.CreateDirectory(dir);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(dll)!, "ShopService.*"))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
            return dir;
        }
        var file = ShopServiceBuilds.AssemblyFile;
        var plain1 = new VariantLoadContext("shop plain-1", Copy("plain-1", builds.PlainV1)).LoadMain(file);
        var plain2 = new VariantLoadContext("shop plain-2", Copy("plain-2", builds.PlainV1)).LoadMain(file);
        var instrumented = new VariantLoadContext("shop instrumented", Copy("instrumented-1", builds.InstrumentedV1)).LoadMain(file);
        var fixedV2 = new VariantLoadContext("shop v2", Copy("fixed-v2", builds.PlainV2)).LoadMain(file);
        var patched = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(Copy("patched", builds.InstrumentedV1), file));

        var expectedV1 = Answers(Handler(plain1));
        var expectedV2 = Answers(Handler(fixedV2));
        if (expectedV1 == expectedV2)
            throw new InvalidOperationException($"fix {fix} changes none of the answers to the workload's requests; the patched variant could not be checked");
        var patchedHandler = Handler(patched);
        var info = PatchRuntime.Enable(builds.Patch);
        var transition = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
        if (!transition.Completed)
            throw new InvalidOperationException("the patch's transition did not complete: " + transition.Warning);
        log.WriteLine($"  shop: enabled {info.Id} in the default context's instrumented copy; transition completed");

        return new Workload(Name, $"ShopService: 4 QUOTE requests + STOCK + PING through RequestHandler.Handle (patched: fix {fix})",
        [
            Variant(LibraryCopies.Plain1Name, Handler(plain1), expectedV1),
            Variant(LibraryCopies.Plain2Name, Handler(plain2), expectedV1),
            Variant(LibraryCopies.InstrumentedName, Handler(instrumented), expectedV1),
            Variant(PatchedName, patchedHandler, expectedV2),
        ]);
    }

    private static Variant Variant(string name, Func<string, string> handle, string expected) => new(
        name,
        () =>
        {
            long length = 0;
            foreach (var request in Requests)
                length += handle(request).Length;
            return length;
        },
        () => Answers(handle),
        expected);

    private static string Answers(Func<string, string> handle) => string.Join('\n', Requests.Select(handle));

    /// <summary><c>RequestHandler.CreateDefault().Handle</c> of one copy (a new handler each call; also the <c>pauses</c> child's busy threads).</summary>
    internal static Func<string, string> Handler(Assembly shop)
    {
        var type = shop.GetType("ShopService.Server.RequestHandler", throwOnError: true)!;
        var handler = type.GetMethod("CreateDefault")!.Invoke(null, null)!;
        return type.GetMethod("Handle")!.CreateDelegate<Func<string, string>>(handler);
    }
}
