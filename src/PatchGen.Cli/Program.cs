using PatchGen.Cli.Startup;

namespace PatchGen.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        bool region = CollectionFreeRun.TryBegin(args);
        try
        {
            return PatchGenCommandLine.Run(args, Console.Out, Console.Error);
        }
        finally
        {
            if (region)
                CollectionFreeRun.End();
        }
    }
}
