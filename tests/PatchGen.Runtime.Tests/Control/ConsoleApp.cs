using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>A console application compiled from source for a child process of a test: the dll and its runtimeconfig.</summary>
internal static class ConsoleApp
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
        var path = Path.Combine(folder, name + ".dll");
        var compilation = CSharpCompilation.Create(name,
            new[] { CSharpSyntaxTree.ParseText(source) },
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Concat(references.Select(r => MetadataReference.CreateFromFile(r))),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        File.WriteAllText(Path.Combine(folder, name + ".runtimeconfig.json"), """
            {"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}
            """);
        return path;
    }
}
