using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Instrumentation;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A v1/v2 pair written inline in a test: v1 is compiled, made patchable and loaded into this process
/// (under a name of its own), the patch is built from the patchable v1 and the plain v2. <see cref="BuildAnother"/>
/// builds further patches of the same live base from other fixed sources (stacked, cumulative).
/// </summary>
internal sealed class InlinePatch
{
    private readonly string _assemblyName;

    private InlinePatch(Assembly live, string patchPath, PatchBuildResult build, string directory, string assemblyName)
    {
        Live = live;
        PatchPath = patchPath;
        Build = build;
        Directory = directory;
        _assemblyName = assemblyName;
    }

    public Assembly Live { get; }

    public string PatchPath { get; }

    public PatchBuildResult Build { get; }

    public string Directory { get; }

    /// <param name="options">How v1 is made patchable (default: the instrumenter's defaults, without copying the runtime).</param>
    public static InlinePatch Create(string name, string v1, string v2, Diagnostics.PatchModel model = Diagnostics.PatchModel.Simple, InstrumentOptions? options = null)
    {
        var assemblyName = "Inline." + name;
        var work = InlineAssembly.TempDirectory(name);
        var plain = InlineAssembly.Compile(Path.Combine(work, "v1"), assemblyName, v1);
        var patchable = Path.Combine(work, "patchable", assemblyName + ".dll");
        AssemblyInstrumenter.Instrument(plain, patchable, options ?? new InstrumentOptions { CopyRuntime = false });
        var (patchPath, build) = BuildPatch(patchable, work, "v2", assemblyName, name, v2, cumulative: false, model);
        var live = AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        return new InlinePatch(live, patchPath, build, work, assemblyName);
    }

    /// <summary>
    /// Another patch of the same base, built by the emitter from <paramref name="fixedSource"/> (compiled under the
    /// base's assembly name): its path and the build's result.
    /// </summary>
    public (string Path, PatchBuildResult Build) BuildAnother(string patchId, string fixedSource, bool cumulative = false, Diagnostics.PatchModel model = Diagnostics.PatchModel.Simple)
        => BuildPatch(Build.Diff.Base.Path, Directory, patchId, _assemblyName, patchId, fixedSource, cumulative, model);

    /// <param name="fixedFolder">The folder under <paramref name="work"/> the fixed source is compiled in (its PDB names the file there).</param>
    private static (string Path, PatchBuildResult Build) BuildPatch(string patchable, string work, string fixedFolder, string assemblyName, string patchId, string fixedSource, bool cumulative, Diagnostics.PatchModel model)
    {
        var fixedBuild = InlineAssembly.Compile(Path.Combine(work, fixedFolder), assemblyName, fixedSource);
        var patchPath = Path.Combine(work, patchId + ".dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, fixedBuild, patchPath) { PatchId = patchId, Cumulative = cumulative, Model = model });
        Assert.True(build.ExitCode == 0, $"build of {patchId}: exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        return (patchPath, build);
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
