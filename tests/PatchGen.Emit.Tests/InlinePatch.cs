using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Instrumentation;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A v1/v2 pair written inline in a test: v1 is compiled, made patchable and loaded into this process
/// (under a name of its own), the patch is built from the patchable v1 and the plain v2.
/// </summary>
internal sealed class InlinePatch
{
    private InlinePatch(Assembly live, string patchPath, PatchBuildResult build, string directory)
    {
        Live = live;
        PatchPath = patchPath;
        Build = build;
        Directory = directory;
    }

    public Assembly Live { get; }

    public string PatchPath { get; }

    public PatchBuildResult Build { get; }

    public string Directory { get; }

    public static InlinePatch Create(string name, string v1, string v2, Diagnostics.PatchModel model = Diagnostics.PatchModel.Simple)
    {
        var assemblyName = "Inline." + name;
        var work = InlineAssembly.TempDirectory(name);
        var plain = InlineAssembly.Compile(Path.Combine(work, "v1"), assemblyName, v1);
        var fixedBuild = InlineAssembly.Compile(Path.Combine(work, "v2"), assemblyName, v2);
        var patchable = Path.Combine(work, "patchable", assemblyName + ".dll");
        AssemblyInstrumenter.Instrument(plain, patchable, new InstrumentOptions { CopyRuntime = false });
        var patchPath = Path.Combine(work, name + ".dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, fixedBuild, patchPath) { PatchId = name, Model = model });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        var live = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        return new InlinePatch(live, patchPath, build, work);
    }

    public object? Call(string type, string method, params object?[] arguments)
    {
        try
        {
            return Live.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
