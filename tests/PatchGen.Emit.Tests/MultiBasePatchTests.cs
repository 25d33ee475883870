using System.Reflection;
using System.Runtime.Loader;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A patch of two assemblies (format 2, docs/patch-format.md "Several assemblies"): a library Calc and a
/// library Show that calls it, both changed by one fix, Show's new code calling a method the fix adds to
/// Calc. One patch binds both MVIDs, is written deterministically, reaches Calc's added method inside the
/// patch, switches both in one transition and reverts both; and is refused whole (PG0005) while one of its
/// bases is not loaded.
/// </summary>
public class MultiBasePatchTests
{
    private const string CalcV1 = "namespace Multi; public static class Calc { public static int Units(int cents) => cents / 100; }";
    private const string CalcV2 = """
        namespace Multi;
        public static class Calc
        {
            public static int Units(int cents) => cents;
            public static string Text(int cents) => (cents / 100) + "." + (cents % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        }
        """;
    private const string ShowV1 = "namespace Multi; public static class Show { public static string Line(int cents) => Calc.Units(cents) + \" EUR\"; public static int Twice(int x) => 2 * x; }";
    private const string ShowV2 = "namespace Multi; public static class Show { public static string Line(int cents) => Calc.Text(Calc.Units(cents)) + \" EUR\"; public static int Twice(int x) => 2 * x; }";

    [Fact]
    public void OnePatchBindsBothBasesAndIsDeterministic()
    {
        var pair = TwoLibraries.Build("multi-emit");
        var again = Path.Combine(pair.Work, "again.dll");
        Assert.Equal(0, PatchBuilder.Build(pair.Options with { OutputPath = again }).ExitCode);
        Assert.Equal(File.ReadAllBytes(pair.PatchPath), File.ReadAllBytes(again));

        var description = PatchInspector.Inspect(pair.PatchPath);
        Assert.Equal(PatchFormat.InlineCloneAware, description.FormatVersion);
        Assert.Equal(new[] { pair.CalcName, pair.ShowName }, description.Bases.Select(b => b.Name));
        Assert.Equal(new[] { Mvid(pair.CalcBase), Mvid(pair.ShowBase) }, description.Bases.Select(b => Guid.Parse(b.Mvid)));
        Assert.Equal(new (string, string?)[] { ("M:Multi.Calc.Units(System.Int32)", pair.CalcName), ("M:Multi.Show.Line(System.Int32)", pair.ShowName) },
            description.Replaces.Select(r => (r.DocumentationId, r.Assembly)));

        // The patch directory reads the same bindings without loading the file, and waits for every base.
        var header = PatchGen.Runtime.PatchDirectory.PatchHeaderReader.Read(File.ReadAllBytes(pair.PatchPath), out var problem);
        Assert.True(header is not null, problem);
        Assert.Equal(description.Bases.Select(b => (b.Name, b.Mvid)), header.Bases);

        // Show's new code calls Calc.Text, which the fix adds to Calc: the call is to the patch's own
        // copy (the live Calc has no Text), the call to Calc.Units goes to the live Calc, through its site.
        using var patch = ModuleDefinition.ReadModule(pair.PatchPath);
        var line = patch.GetType("Multi.Show").Methods.Single(m => m.Name == "Line");
        var calls = line.Body.Instructions.Where(i => i.OpCode == OpCodes.Call).Select(i => (MethodReference)i.Operand).ToList();
        var text = Assert.Single(calls, c => c.Name == "Text");
        Assert.Equal(patch, text.Resolve()?.Module);
        var units = Assert.Single(calls, c => c.Name == "Units");
        Assert.Equal(pair.CalcName, units.DeclaringType.Scope.Name);
    }

    [Fact]
    public void OneTransitionSwitchesBothBasesAndDisablingRevertsBoth()
    {
        var pair = TwoLibraries.Build("multi-live");
        var show = pair.LoadBoth();
        Assert.Equal("12 EUR", Line(show, 1234));

        var info = PatchRuntime.Enable(pair.PatchPath);
        Assert.Equal(new[] { pair.CalcName, pair.ShowName }, info.Assemblies);
        Transitions.Complete();
        Assert.Equal("12.34 EUR", Line(show, 1234));

        PatchRuntime.Disable(info.Id);
        Transitions.Complete();
        Assert.Equal("12 EUR", Line(show, 1234));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void PatchWhoseSecondBaseIsNotLoadedIsRefusedAndNothingChanges()
    {
        var pair = TwoLibraries.Build("multi-missing");
        // Only Calc, the first base, is in the process; Show never loads.
        var calc = AssemblyLoadContext.Default.LoadFromAssemblyPath(pair.CalcBase);
        var units = calc.GetType("Multi.Calc", throwOnError: true)!.GetMethod("Units")!;
        Assert.Equal(12, units.Invoke(null, new object[] { 1234 }));

        var error = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(pair.PatchPath));
        Assert.Equal(DiagnosticCatalog.PatchForOtherBase.Id, error.DiagnosticId);
        Assert.Contains($"of '{pair.ShowName}', but this process has not loaded it", error.Message);
        Assert.DoesNotContain(PatchRuntime.GetStatus().Patches, p => p.Id == "multi-missing");
        Assert.Equal(12, units.Invoke(null, new object[] { 1234 }));
    }

    private static string Line(Assembly show, int cents)
        => (string)show.GetType("Multi.Show", throwOnError: true)!.GetMethod("Line")!.Invoke(null, new object[] { cents })!;

    private static Guid Mvid(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return module.Mvid;
    }

    /// <summary>Calc and Show compiled as v1 and v2 (Show referencing Calc), v1 made patchable, and the patch of both pairs.</summary>
    private sealed record TwoLibraries(string Work, string CalcName, string ShowName, string CalcBase, string ShowBase, string PatchPath, PatchBuildOptions Options)
    {
        public static TwoLibraries Build(string name)
        {
            var work = InlineAssembly.TempDirectory(name);
            string calcName = "Inline." + name + ".Calc", showName = "Inline." + name + ".Show";
            string Compile(string version, string assembly, string source, params string[] references)
                => InlineAssembly.Compile(Path.Combine(work, version), assembly, source, withPdb: true, references);
            var calcV1 = Compile("v1", calcName, CalcV1);
            var showV1 = Compile("v1", showName, ShowV1, calcV1);
            var calcV2 = Compile("v2", calcName, CalcV2);
            var showV2 = Compile("v2", showName, ShowV2, calcV2);
            string calcBase = Path.Combine(work, "patchable", calcName + ".dll"), showBase = Path.Combine(work, "patchable", showName + ".dll");
            AssemblyInstrumenter.Instrument(calcV1, calcBase, new InstrumentOptions { CopyRuntime = false });
            AssemblyInstrumenter.Instrument(showV1, showBase, new InstrumentOptions { CopyRuntime = false });
            var patchPath = Path.Combine(work, name + ".dll");
            var options = new PatchBuildOptions(calcBase, calcV2, patchPath) { PatchId = name, MorePairs = [new AssemblyPair(showBase, showV2)] };
            var build = PatchBuilder.Build(options);
            Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
            Assert.Equal(new[] { calcName, showName }, build.Bases.Select(b => b.Name));
            return new TwoLibraries(work, calcName, showName, calcBase, showBase, patchPath, options);
        }

        /// <summary>Loads both patchable bases, Calc first, so that Show's reference to Calc binds to it.</summary>
        public Assembly LoadBoth()
        {
            AssemblyLoadContext.Default.LoadFromAssemblyPath(CalcBase);
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(ShowBase);
        }
    }
}
