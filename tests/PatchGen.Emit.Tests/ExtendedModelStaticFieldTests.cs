using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// The extended model's added static fields (PG3011) on a live process: case
/// <c>StaticFieldAddedIsMovedIntoPatchUnderExtendedModel</c> (a static Regex and a static dictionary
/// with initializers, a counter without one, beside an explicit static constructor that is otherwise
/// v1's). v1 runs, with a thread in flight across the transitions; the patch is applied and the fields
/// live in its holder, initialised once; a second patch is stacked on it and removed again; a patch
/// keeping a second copy of the fields is refused, a cumulative one replaces the first with its own
/// copy; disable restores v1, whose type never had the fields; enabled again from a fresh load, the
/// initializers run again.
/// </summary>
public class ExtendedModelStaticFieldTests
{
    private const string Case = "StaticFieldAddedIsMovedIntoPatchUnderExtendedModel";
    private const string AssemblyName = "Extended.AddedStatic";
    private const string StatsPattern = @"^rejected: \d+, checked: \d+$";

    /// <summary>The stacked fix: v1 with another Stats (no added field), built as a patch of v1 too.</summary>
    private const string StackedSource = """
        namespace Cases;

        public static class SkuValidator
        {
            private static readonly System.Collections.Generic.List<string> Prefixes = new();

            static SkuValidator()
            {
                Prefixes.Add("AB");
                Prefixes.Add("CD");
            }

            public static bool IsValid(string sku)
            {
                if (sku.Length != 6)
                    return false;
                foreach (var prefix in Prefixes)
                {
                    if (sku.StartsWith(prefix, System.StringComparison.Ordinal))
                        return true;
                }
                return false;
            }

            public static string Stats() => "stats: off";
        }
        """;

    [Fact]
    public void AddedStaticsLiveInThePatchAreInitialisedOncePerLoadAndLeaveV1Untouched()
    {
        var v1 = CaseCompiler.Compile(Case, "v1", AssemblyName).AssemblyPath;
        var v2 = CaseCompiler.Compile(Case, "v2", AssemblyName).AssemblyPath;
        var work = InlineAssembly.TempDirectory("extended-added-static");
        var patchable = Path.Combine(work, "base", AssemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchable, new InstrumentOptions { CopyRuntime = false });

        // The simple model refuses the fix; the extended model moves the three fields.
        var simple = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, Path.Combine(work, "simple.dll")));
        Assert.Equal(1, simple.ExitCode);
        Assert.Equal(3, simple.Diagnostics.Count(d => d.Id == DiagnosticCatalog.FieldAdded.Id));
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, patchPath) { PatchId = "added-static", Model = PatchModel.Extended });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        Assert.Equal(3, build.Diagnostics.Count(d => d.Id == DiagnosticCatalog.AddedStaticFieldMoved.Id && d.Severity == DiagnosticSeverity.Warning));
        Assert.DoesNotContain(build.Diagnostics, d => d.Id == DiagnosticCatalog.StaticInitializerChanged.Id);
        Assert.DoesNotContain(build.Replaced, r => r.DocumentationId.Contains("#cctor", StringComparison.Ordinal));

        var stacked = Path.Combine(work, "stacked.dll");
        var v3 = InlineAssembly.Compile(Path.Combine(work, "v3"), AssemblyName, StackedSource);
        var stackedBuild = PatchBuilder.Build(new PatchBuildOptions(patchable, v3, stacked) { PatchId = "added-static-stacked", Model = PatchModel.Extended });
        Assert.True(stackedBuild.ExitCode == 0, string.Join("\n", stackedBuild.Diagnostics));

        // A later fix that also keeps the fields (v2 with another Stats), as a plain and as a cumulative patch.
        var v2Source = File.ReadAllText(Path.Combine(Repository.CasesDirectory, Case, "v2", "SkuValidator.cs"));
        var v4 = InlineAssembly.Compile(Path.Combine(work, "v4"), AssemblyName, v2Source.Replace("\"rejected: \"", "\"rejected=\"", StringComparison.Ordinal));
        var samePlain = Path.Combine(work, "same-fields.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(patchable, v4, samePlain) { PatchId = "added-static-again", Model = PatchModel.Extended }).ExitCode);
        var sameCumulative = Path.Combine(work, "same-fields-cumulative.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(patchable, v4, sameCumulative) { PatchId = "added-static-cumulative", Model = PatchModel.Extended, Cumulative = true }).ExitCode);

        var type = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable).GetType("Cases.SkuValidator", throwOnError: true)!;
        bool IsValid(string sku) => (bool)type.GetMethod("IsValid")!.Invoke(null, new object[] { sku })!;
        string Stats() => (string)type.GetMethod("Stats")!.Invoke(null, null)!;
        // The live type never gets the fields: they are the patch's.
        Assert.Null(type.GetField("Pattern", BindingFlags.NonPublic | BindingFlags.Static));

        Assert.True(IsValid("AB12x4"));
        Assert.Equal("stats: none", Stats());

        // A thread in flight across every transition: each answer is whole, v1's or v2's.
        using var stop = new CancellationTokenSource();
        var seen = new List<(bool Valid, string Stats)>();
        var worker = new Thread(() =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                var answer = (IsValid("ZZ12" + (i++ % 50).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), Stats());
                lock (seen)
                    seen.Add(answer);
            }
        }) { IsBackground = true, Name = "added-static-in-flight" };
        worker.Start();
        try
        {
            var info = PatchRuntime.Enable(patchPath);
            Transitions.Complete();
            lock (seen)
            {
                Assert.All(seen, a => Assert.True(a.Stats == "stats: none" || Regex.IsMatch(a.Stats, StatsPattern), a.Stats));
                seen.Clear();
            }
            WaitForAnswers(seen);
            lock (seen)
                Assert.All(seen, a => Assert.Matches(StatsPattern, a.Stats));

            // v2's behaviour, with the fields' values: the pattern rejects what v1 took, the counter
            // counts (the worker's ZZ SKUs too), the dictionary answers a repeated SKU.
            Assert.False(IsValid("AB12x4"));
            Assert.True(IsValid("CD9876"));
            var pattern = (Regex)PatchField(info.Id, "Pattern");
            Assert.Equal("^[A-Z]{2}[0-9]{4}$", pattern.ToString());
            int rejected = (int)PatchField(info.Id, "_rejected");
            Assert.True(rejected >= 1, "rejected " + rejected);
            Assert.False(IsValid("QQ0000"));
            Assert.True((int)PatchField(info.Id, "_rejected") > rejected, "the counter did not count");
            // Initialised once: the Regex is the same object after every use.
            Assert.Same(pattern, PatchField(info.Id, "Pattern"));

            // A second patch stacked on it: its Stats wins; IsValid is still the first patch's, on the same fields.
            var second = PatchRuntime.Enable(stacked);
            Transitions.Complete();
            Assert.Equal("stats: off", Stats());
            Assert.False(IsValid("AB12x4"));
            Assert.Same(pattern, PatchField(info.Id, "Pattern"));
            PatchRuntime.Disable(second.Id);
            Transitions.Complete();
            Assert.Matches(StatsPattern, Stats());
            Assert.True(PatchRuntime.Unload(second.Id, TimeSpan.FromSeconds(10)));

            // A second copy of the fields stacked on the first would split their value between the two
            // patches' functions: refused. A cumulative patch replaces the first patch and its copy whole.
            var refused = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(samePlain));
            Assert.Equal(DiagnosticCatalog.PatchConflict.Id, refused.DiagnosticId);
            Assert.Contains("F:Cases.SkuValidator.", refused.Message, StringComparison.Ordinal);
            var replacing = PatchRuntime.Enable(sameCumulative);
            Transitions.Complete();
            Assert.False(IsValid("AB12x4"));
            Assert.Matches(@"^rejected=\d+, checked: \d+$", Stats());
            Assert.NotSame(pattern, PatchField(replacing.Id, "Pattern"));
            PatchRuntime.Disable(replacing.Id);
            Transitions.Complete();
            lock (seen)
                seen.Clear();
            WaitForAnswers(seen);
            lock (seen)
                Assert.All(seen, a => Assert.Equal("stats: none", a.Stats));
            Assert.True(IsValid("AB12x4"));
            Assert.Equal("stats: none", Stats());
            Assert.True(PatchRuntime.Unload(replacing.Id, TimeSpan.FromSeconds(10)));
            Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));

            // Enabled again, from a fresh load: the fields start from their initializers again.
            var again = PatchRuntime.Enable(patchPath);
            try
            {
                Transitions.Complete();
                Assert.NotSame(pattern, PatchField(again.Id, "Pattern"));
                Assert.False(IsValid("XY0000"));
                Assert.Matches(StatsPattern, Stats());
            }
            finally
            {
                PatchRuntime.Disable(again.Id);
                Transitions.Complete();
            }
            Assert.Equal("stats: none", Stats());
            Assert.True(PatchRuntime.Unload(again.Id, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            stop.Cancel();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker thread did not stop");
        }
    }

    private static void WaitForAnswers(List<(bool Valid, string Stats)> seen)
        => Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count > 0; }, TimeSpan.FromSeconds(10)), "the worker gave no answer");

    /// <summary>
    /// A static field of Cases.SkuValidator's holder in the loaded patch <paramref name="patchId"/>. Out of
    /// line, so that no frame of the test keeps the patch's types (and its load context) alive.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static object PatchField(string patchId, string field)
    {
        var name = AssemblyName + ".Patch." + patchId;
        var patch = AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Single(a => a.GetName().Name == name);
        return patch.GetType("Cases.SkuValidator", throwOnError: true)!.GetField(field)!.GetValue(null)!;
    }
}
