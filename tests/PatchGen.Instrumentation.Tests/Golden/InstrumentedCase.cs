using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.TestSupport;
using PatchGen.TestSupport.Golden;

namespace PatchGen.Instrumentation.Tests.Golden;

/// <summary>
/// One instrumenter golden case: a small C# input (testdata/golden/instrumenter/&lt;case&gt;/input.cs)
/// compiled with Roslyn, rewritten by the real <see cref="AssemblyInstrumenter"/> and read back with its
/// symbols, ready to render the methods a test pins and compare them with the case's expected.il.
/// </summary>
internal sealed class InstrumentedCase : IDisposable
{
    private InstrumentedCase(string name, AssemblyDefinition assembly)
    {
        Name = name;
        Assembly = assembly;
    }

    public string Name { get; }

    public AssemblyDefinition Assembly { get; }

    public ModuleDefinition Module => Assembly.MainModule;

    public static string CaseDirectory(string name) => Path.Combine(GoldenFile.Directory, "instrumenter", name);

    /// <summary>
    /// Compiles and instruments testdata/golden/instrumenter/<paramref name="name"/>/input.cs (or <paramref name="inputOf"/>'s:
    /// the same source under other options, its own expected.il); the assembly is named after the case.
    /// </summary>
    public static InstrumentedCase FromTestData(string name, InstrumentOptions? options = null, string? inputOf = null)
    {
        var source = File.ReadAllText(Path.Combine(CaseDirectory(inputOf ?? name), "input.cs"));
        var work = InlineAssembly.TempDirectory("golden-" + name);
        var original = InlineAssembly.Compile(Path.Combine(work, "in"), name, source);
        var output = Path.Combine(work, "out", name + ".dll");
        AssemblyInstrumenter.Instrument(original, output, options ?? new InstrumentOptions { CopyRuntime = false });
        return FromBuild(name, output);
    }

    /// <summary>A case over an assembly some other fixture already instrumented.</summary>
    public static InstrumentedCase FromBuild(string name, string instrumentedPath) => new(name, GoldenReader.Read(instrumentedPath));

    /// <summary>
    /// Every method named by a pin (<c>Namespace.Type::Method</c>, Cecil's type names: <c>Outer/Inner</c>,
    /// <c>Box`1</c>; every overload of the name), then each dispatch stub they call, in the order they first call it
    /// (and a stub a stub calls, after it: a steady stub's full one).
    /// </summary>
    public string Methods(params string[] pins)
    {
        var methods = pins.SelectMany(Find).ToList();
        var stubs = methods.SelectMany(CalledStubs).Distinct().ToList();
        for (int i = 0; i < stubs.Count; i++)
        {
            foreach (var called in CalledStubs(stubs[i]))
            {
                if (!stubs.Contains(called))
                    stubs.Insert(i + 1, called);
            }
        }
        return string.Join("\n", methods.Concat(stubs).Select(MethodText.Of));
    }

    /// <summary>Compares with (or, when updating, writes) testdata/golden/instrumenter/&lt;case&gt;/expected.il.</summary>
    public void Verify(string text) => GoldenFile.Verify($"instrumenter/{Name}/expected.il", text);

    public TypeDefinition Type(string fullName)
        => Module.GetType(fullName) ?? throw new ArgumentException($"{Name}: no type {fullName}; types: {string.Join(", ", Module.GetTypes().Select(t => t.FullName))}");

    private IEnumerable<MethodDefinition> Find(string pin)
    {
        int separator = pin.IndexOf("::", StringComparison.Ordinal);
        if (separator < 0)
            throw new ArgumentException($"a pin is Type::Method, not {pin}");
        var type = Type(pin[..separator]);
        string name = pin[(separator + 2)..];
        var methods = type.Methods.Where(m => m.Name == name).ToList();
        if (methods.Count == 0)
            throw new ArgumentException($"{Name}: {type.FullName} has no method {name}; it has {string.Join(", ", type.Methods.Select(m => m.Name))}");
        return methods;
    }

    /// <summary>The stubs of &lt;PatchGen&gt;Sites a method's dispatch block calls (generic ones through their instantiation).</summary>
    private static IEnumerable<MethodDefinition> CalledStubs(MethodDefinition method)
    {
        if (!method.HasBody)
            yield break;
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.OpCode.Code == Code.Call && instruction.Operand is MethodReference callee
                && callee.DeclaringType.Name == PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName)
                yield return callee.GetElementMethod().Resolve();
        }
    }

    public void Dispose() => Assembly.Dispose();
}
