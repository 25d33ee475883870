using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// The emitter on a real library rather than on small cases: System.CommandLine (generics, lambdas,
/// closures, iterators, struct enumerators, internals everywhere). Its v2 is the same library with
/// every method body changed: each now starts by incrementing a counter of a type v2 adds. The patch thus
/// replaces every method that has a site and ships the new type; applied to the instrumented library
/// loaded in this process, a driver that builds a command tree, parses good and bad command lines and
/// prints help gives exactly the answers of the unpatched library, while the counter proves that the
/// patch's code is what ran.
/// </summary>
public class RealLibraryPatchTests
{
    private const string CounterType = "PatchGenProbe.Counter";

    [Fact]
    public void EveryMethodOfSystemCommandLineReplacedBehavesTheSame()
    {
        var original = Path.Combine(Repository.NuGetPackageRoot, "system.commandline", "2.0.0", "lib", "net8.0", "System.CommandLine.dll");
        var work = InlineAssembly.TempDirectory("real-library");
        var patchable = Path.Combine(work, "base", "System.CommandLine.dll");
        AssemblyInstrumenter.Instrument(original, patchable, new InstrumentOptions { CopyRuntime = false });
        var v2 = Path.Combine(work, "v2", "System.CommandLine.dll");
        int counted = WriteCountingCopy(original, v2);

        var patchPath = Path.Combine(work, "count-everything.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, patchPath) { PatchId = "count-everything" });
        Assert.True(build.ExitCode == 0, string.Join("\n", build.Diagnostics.Where(d => d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Error)));
        Assert.True(build.Replaced.Count > 450, $"only {build.Replaced.Count} methods replaced of {counted} changed");

        var library = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        var driver = AssemblyLoadContext.Default.LoadFromAssemblyPath(CompileDriver(work, patchable));
        string Drive() => (string)driver.GetType("Driver")!.GetMethod("Run")!.Invoke(null, null)!;

        var unpatched = Drive();
        Assert.Contains("greet ann x3 v=False files=a.txt,b.txt", unpatched);
        var info = PatchRuntime.Enable(patchPath);
        int hits;
        try
        {
            Transitions.Complete(30);
            var patch = AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Single(a => a.GetCustomAttribute<PatchAttribute>()?.Id == "count-everything");
            var counter = patch.GetType(CounterType, throwOnError: true)!.GetField("Hits")!;
            CompileEverything(patch);
            Assert.Equal(unpatched, Drive());
            hits = (int)counter.GetValue(null)!;
            Assert.True(hits > 1000, $"the patched code ran only {hits} times");
            PatchRuntime.Disable(info.Id);
            Transitions.Complete(30);
            Assert.Equal(unpatched, Drive());
            Assert.Equal(hits, (int)counter.GetValue(null)!); // disabled: the base's own code runs again
        }
        finally
        {
            if (PatchRuntime.GetStatus().Patches.Any(p => p.Id == info.Id && p.State == PatchState.Enabled))
                PatchRuntime.Disable(info.Id);
            PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>v2: every method with a body (but static constructors) first increments <c>Counter.Hits</c>, a static field of a type v2 adds.</summary>
    private static int WriteCountingCopy(string original, string output)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(original);
        var module = assembly.MainModule;
        var counter = new TypeDefinition("PatchGenProbe", "Counter", Mono.Cecil.TypeAttributes.Public | Mono.Cecil.TypeAttributes.Abstract | Mono.Cecil.TypeAttributes.Sealed | Mono.Cecil.TypeAttributes.BeforeFieldInit, module.TypeSystem.Object);
        var hits = new FieldDefinition("Hits", Mono.Cecil.FieldAttributes.Public | Mono.Cecil.FieldAttributes.Static, module.TypeSystem.Int32);
        counter.Fields.Add(hits);
        int count = 0;
        foreach (var type in module.GetTypes().ToList())
        {
            // Not static constructors: they already ran in the live process, and the diff rightly refuses them (PG2004).
            // Not auto-property accessors: they get no patch site (docs/patch-sites.md), and a change to one is PG0008.
            foreach (var method in type.Methods.Where(m => m.HasBody && !(m.IsConstructor && m.IsStatic) && !PatchGen.Cecil.Methods.AutoPropertyAccessor.Is(m)))
            {
                var il = method.Body.GetILProcessor();
                var first = method.Body.Instructions[0];
                // Hits++ (not atomic: a count that is only compared with a threshold).
                il.InsertBefore(first, il.Create(OpCodes.Ldsfld, hits));
                il.InsertBefore(first, il.Create(OpCodes.Ldc_I4_1));
                il.InsertBefore(first, il.Create(OpCodes.Add));
                il.InsertBefore(first, il.Create(OpCodes.Stsfld, hits));
                count++;
            }
        }
        module.Types.Add(counter);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        assembly.Write(output);
        return count;
    }

    /// <summary>JIT-compiles every non-generic method of the patch: invalid IL or access would fail here.</summary>
    private static void CompileEverything(Assembly patch)
    {
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        foreach (var type in patch.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (!method.ContainsGenericParameters && !method.IsAbstract && method.GetMethodBody() is not null)
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    private static string CompileDriver(string work, string library)
    {
        const string source = """
            using System.CommandLine;
            using System.Linq;
            public static class Driver
            {
                public static string Run()
                {
                    var log = new System.Text.StringBuilder();
                    var name = new Option<string>("--name") { Description = "Who to greet", DefaultValueFactory = _ => "world" };
                    var count = new Option<int>("--count", "-c") { Description = "How many times" };
                    var verbose = new Option<bool>("--verbose") { Description = "Say more" };
                    var files = new Argument<string[]>("files") { Arity = ArgumentArity.ZeroOrMore, Description = "Inputs" };
                    var greet = new Command("greet", "Greets someone") { name, count, verbose, files };
                    greet.SetAction(p => { log.Append($"greet {p.GetValue(name)} x{p.GetValue(count)} v={p.GetValue(verbose)} files={string.Join(",", p.GetValue(files) ?? new string[0])}\n"); return 0; });
                    var root = new RootCommand("A driver for the patched library") { greet };
                    foreach (var args in new[]
                    {
                        new[] { "greet", "--name", "ann", "-c", "3", "a.txt", "b.txt" },
                        new[] { "greet", "--count", "x" },
                        new[] { "greet", "--bogus" },
                        new[] { "greet", "--verbose", "--", "-odd" },
                        new[] { "--help" },
                        new[] { "greet", "-h" },
                    })
                    {
                        var parse = root.Parse(args);
                        log.Append(string.Join(" ", args)).Append(" => ").Append(string.Join("; ", parse.Errors.Select(e => e.Message))).Append('\n');
                        var output = new System.IO.StringWriter();
                        int code = parse.Invoke(new InvocationConfiguration { Output = output, Error = output });
                        log.Append("exit ").Append(code).Append('\n').Append(output.ToString());
                    }
                    return log.ToString();
                }
            }
            """;
        var compilation = CSharpCompilation.Create("RealLibraryDriver",
            new[] { CSharpSyntaxTree.ParseText(source) },
            Basic.Reference.Assemblies.Net100.References.All.Append(MetadataReference.CreateFromFile(library)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(work, "RealLibraryDriver.dll");
        using var stream = File.Create(path);
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return path;
    }
}
