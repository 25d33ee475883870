using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PatchGen.TestSupport;

/// <summary>A console application compiled from source for a child process of a test: the dll and its runtimeconfig.</summary>
public static class ConsoleApp
{
    /// <summary>An application that changes nothing: it says "ready", then waits for a line on its standard input and exits.</summary>
    public const string WaitsForALine = """
        public static class Program
        {
            public static int Main()
            {
                System.Console.WriteLine("ready");
                System.Console.Out.Flush();
                System.Console.In.ReadLine();
                return 0;
            }
        }
        """;

    /// <summary>Writes <c>&lt;name&gt;.dll</c> and its runtimeconfig into <paramref name="folder"/>; returns the dll's path.</summary>
    /// <param name="references">Paths of more assemblies the application references.</param>
    public static string Compile(string folder, string name, string source, params string[] references)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".dll");
        var compilation = CSharpCompilation.Create(name,
            new[] { CSharpSyntaxTree.ParseText(source) },
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var result = compilation.Emit(path);
        if (!result.Success)
            throw new InvalidOperationException("the console application does not compile:\n" + string.Join("\n", result.Diagnostics));
        File.WriteAllText(Path.Combine(folder, name + ".runtimeconfig.json"), """
            {"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}
            """);
        return path;
    }

    /// <summary>
    /// Starts <see cref="WaitsForALine"/> as a child process with PatchGen's runtime as its startup hook; see
    /// <see cref="StartWithHook"/>.
    /// </summary>
    public static Process StartWaitingAppWithHook(string name, string runtimeAssembly, string? controlDirectory)
        => StartWithHook(Compile(InlineAssembly.TempDirectory(name + "-app"), name, WaitsForALine), runtimeAssembly, controlDirectory);

    /// <summary>
    /// Starts <paramref name="appPath"/> as a child process with PatchGen's runtime as its startup hook (a copy of
    /// <paramref name="runtimeAssembly"/>, PatchGen.Runtime.dll, and PatchGen.Diagnostics.dll beside it, in a folder of
    /// their own, as an operator deploys them) and its control channel in <paramref name="controlDirectory"/> (null: the
    /// default folder); standard input, output and error redirected.
    /// </summary>
    public static Process StartWithHook(string appPath, string runtimeAssembly, string? controlDirectory)
    {
        var hookFolder = InlineAssembly.TempDirectory(Path.GetFileNameWithoutExtension(appPath) + "-runtime");
        foreach (var file in new[] { "PatchGen.Runtime.dll", "PatchGen.Diagnostics.dll" })
            File.Copy(Path.Combine(Path.GetDirectoryName(runtimeAssembly)!, file), Path.Combine(hookFolder, file));
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appPath);
        start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(hookFolder, "PatchGen.Runtime.dll");
        if (controlDirectory is not null)
            start.Environment["PATCHGEN_CONTROL_DIR"] = controlDirectory;
        return Process.Start(start)!;
    }
}
