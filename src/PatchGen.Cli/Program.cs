namespace PatchGen.Cli;

internal static class Program
{
    public static int Main(string[] args) => PatchGenCommandLine.Run(args, Console.Out, Console.Error);
}
