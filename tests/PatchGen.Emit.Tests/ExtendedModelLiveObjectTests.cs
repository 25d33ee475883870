using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// The extended model's transformations on objects that were live before the patch, and on a thread
/// running the patched methods while the transition goes on (the case probes only see objects created
/// while one version is in force). Case <c>RemovedFieldIsKeptUnderExtendedModel</c>: the field the
/// fix removes stays in live objects and nothing patched touches it. Case
/// <c>PrivateMethodSignatureChangeIsHelperWhenEveryCallerIsReplaced</c>: the patched callers of a live
/// object call the new-signature helper, and its state carries on.
/// </summary>
public class ExtendedModelLiveObjectTests
{
    private const string Case = "RemovedFieldIsKeptUnderExtendedModel";
    private const string HelperCase = "PrivateMethodSignatureChangeIsHelperWhenEveryCallerIsReplaced";

    [Fact]
    public void LiveObjectCallsTheNewSignatureHelperWhilePatchedAndTheOldMethodAfterDisable()
    {
        var (patchable, patchPath, build) = BuildUnderBothModels(HelperCase, "Extended.Helper", "extended-helper", DiagnosticCatalog.SignatureChanged);
        Assert.Equal(2, build.Diagnostics.Count(d => d.Id == DiagnosticCatalog.SignatureChangedCallersReplaced.Id));
        // The old methods are not replaced: only their callers are.
        Assert.DoesNotContain(build.Replaced, r => r.DocumentationId.Contains(".Round(", StringComparison.Ordinal) || r.DocumentationId.Contains(".Describe(", StringComparison.Ordinal));

        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        var type = assembly.GetType("Cases.PriceList", throwOnError: true)!;
        string Quote(object prices, decimal amount) => (string)type.GetMethod("Quote")!.Invoke(prices, new object[] { amount })!;

        var before = Activator.CreateInstance(type)!;
        Assert.Equal("quote 1: 3", Quote(before, 3.333m));

        // A thread in flight quoting on its own object across the transition: every quote is whole
        // (v1's or v2's), and after the transition v2's.
        using var stop = new CancellationTokenSource();
        var inFlight = Activator.CreateInstance(type)!;
        var seen = new List<string>();
        var worker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var quote = Quote(inFlight, 1.005m);
                lock (seen)
                    seen.Add(quote);
            }
        }) { IsBackground = true, Name = "extended-helper-in-flight" };
        worker.Start();

        var info = PatchRuntime.Enable(patchPath);
        try
        {
            Transitions.Complete();
            lock (seen)
            {
                Assert.All(seen, q => Assert.Matches(@"^quote \d+: (1|1\.01 EUR)$", q));
                seen.Clear();
            }
            SpinWait.SpinUntil(() => { lock (seen) return seen.Count > 0; }, TimeSpan.FromSeconds(10));
            lock (seen)
                Assert.All(seen, q => Assert.EndsWith(": 1.01 EUR", q, StringComparison.Ordinal));

            // The object created before the patch keeps its count, and quotes through the new helpers.
            Assert.Equal("quote 2: 3.33 EUR", Quote(before, 3.333m));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
            stop.Cancel();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker thread did not stop");
        }

        // v1 again: the old methods, which stayed, are called again; the object's state carried on.
        Assert.Equal("quote 3: 3", Quote(before, 3.333m));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void RemovedFieldStaysInLiveObjectsUntouchedWhilePatchedAndV1SeesItAgainAfterDisable()
    {
        var (patchable, patchPath, build) = BuildUnderBothModels(Case, "Extended.RemovedField", "extended-removed-field", DiagnosticCatalog.FieldRemoved);
        Assert.Contains(build.Diagnostics, d => d.Id == DiagnosticCatalog.RemovedFieldKept.Id && d.Severity == DiagnosticSeverity.Warning);

        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        var type = assembly.GetType("Cases.Counter", throwOnError: true)!;
        var calls = type.GetField("_calls", BindingFlags.Instance | BindingFlags.NonPublic)!;
        object NewCounter() => Activator.CreateInstance(type)!;
        void Add(object counter, int amount) => type.GetMethod("Add")!.Invoke(counter, new object[] { amount });
        string Report(object counter) => (string)type.GetMethod("Report")!.Invoke(counter, null)!;

        var before = NewCounter();
        Add(before, 2);
        Assert.Equal("total=2 calls=1", Report(before));

        // A thread in flight: it keeps adding and reporting on its own counter across the transition.
        // Each report is v1's or v2's form, never a mix, and once the transition is done it is v2's.
        using var stop = new CancellationTokenSource();
        var inFlight = NewCounter();
        var seen = new List<string>();
        var worker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Add(inFlight, 1);
                lock (seen)
                    seen.Add(Report(inFlight));
            }
        }) { IsBackground = true, Name = "extended-in-flight" };
        worker.Start();

        var info = PatchRuntime.Enable(patchPath);
        try
        {
            Transitions.Complete();
            lock (seen)
                seen.Clear();
            SpinWait.SpinUntil(() => { lock (seen) return seen.Count > 0; }, TimeSpan.FromSeconds(10));
            lock (seen)
                Assert.All(seen, r => Assert.DoesNotContain("calls=", r, StringComparison.Ordinal));

            // The object created before the patch: v2's behaviour, and the kept field untouched.
            Add(before, 3);
            Assert.Equal("total=5", Report(before));
            Assert.Equal(1, calls.GetValue(before));

            // An object created under the patch: the field has its default value, and keeps it.
            var after = NewCounter();
            Add(after, 4);
            Assert.Equal("total=4", Report(after));
            Assert.Equal(0, calls.GetValue(after));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
            stop.Cancel();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker thread did not stop");
        }

        // v1 again: the field was kept, with the value it had when the patch was enabled.
        Assert.Equal("total=5 calls=1", Report(before));
        Add(before, 1);
        Assert.Equal("total=6 calls=2", Report(before));
        Assert.True(PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Compiles the case's v1 (made patchable) and v2, checks that the simple model still refuses the fix with
    /// <paramref name="simpleRefusal"/>, and builds the patch under the extended model, which must succeed.
    /// </summary>
    private static (string Patchable, string PatchPath, PatchBuildResult Build) BuildUnderBothModels(string caseName, string assemblyName, string patchId, DiagnosticDescriptor simpleRefusal)
    {
        var v1 = CaseCompiler.Compile(caseName, "v1", assemblyName).AssemblyPath;
        var v2 = CaseCompiler.Compile(caseName, "v2", assemblyName).AssemblyPath;
        var work = InlineAssembly.TempDirectory(patchId);
        var patchable = Path.Combine(work, "base", assemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchable, new InstrumentOptions { CopyRuntime = false });

        // The simple model's verdict is unchanged: no patch.
        var simple = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, Path.Combine(work, "simple.dll")));
        Assert.Equal(1, simple.ExitCode);
        Assert.Contains(simple.Diagnostics, d => d.Id == simpleRefusal.Id);

        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, patchPath) { PatchId = patchId, Model = PatchModel.Extended });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        return (patchable, patchPath, build);
    }
}
