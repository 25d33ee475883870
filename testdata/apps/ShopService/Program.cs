using ShopService.Server;

namespace ShopService;

/// <summary>
/// Entry point. Modes:
/// <list type="bullet">
/// <item><c>serve [port]</c>: serve the line protocol on 127.0.0.1 (port 0, the default, lets the OS
/// choose); prints <c>LISTENING 127.0.0.1:PORT</c> once ready, stops on Ctrl+C or SIGTERM.</item>
/// <item><c>request LINE...</c>: run each argument through the protocol once and print the responses.</item>
/// <item><c>demo</c> (no arguments): a few requests that show off every pricing rule.</item>
/// </list>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string mode = args.Length == 0 ? "demo" : args[0];
        switch (mode)
        {
            case "serve":
                return await ServeAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0).ConfigureAwait(false);
            case "request":
                return Run(args.Skip(1));
            case "demo":
                return Run(DemoRequests);
            default:
                Console.Error.WriteLine("usage: ShopService [serve [port] | request LINE... | demo]");
                return 2;
        }
    }

    /// <summary>Requests whose answers change with each fix in fixes/, so a patch's effect is visible.</summary>
    public static readonly string[] DemoRequests =
    {
        "PING",
        "QUOTE MUG-001:1 coupon=SAVE10",
        "QUOTE BOOK-001:2,COFFEE-1:1",
        "QUOTE CABLE-01:10",
        "QUOTE MUG-001:20,MUG-001:20",
        "ORDER KBD-001:25",
        "STOCK KBD-001",
        "ORDER MUG-001:20,MUG-001:20",
        "STOCK MUG-001",
        "ORDER BOOK-002:1 id=retry-42",
        "ORDER BOOK-002:1 id=retry-42",
        "STATS",
    };

    private static int Run(IEnumerable<string> requests)
    {
        var handler = RequestHandler.CreateDefault();
        foreach (var request in requests)
            Console.WriteLine($"{request} => {handler.Handle(request)}");
        return 0;
    }

    private static async Task<int> ServeAsync(int port)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

        var server = new LineServer(RequestHandler.CreateDefault(), port);
        server.Start();
        Console.WriteLine($"LISTENING 127.0.0.1:{server.Port}");
        await server.RunAsync(stop.Token).ConfigureAwait(false);
        return 0;
    }
}
