using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests.Cases;

/// <summary>
/// Every patchable case of testdata/cases, probe or not: the patch builds, the runtime accepts it
/// against its base (every replacement resolves to a site, every type loads), and every non-generic
/// method of the patch compiles (the JIT rejects invalid IL and inaccessible members at that point,
/// which a loaded but never-called patch would hide). Unpatchable cases must not produce a patch.
/// </summary>
public class EmittedCaseTests
{
    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Repository.CasesDirectory).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void PatchIsWrittenExactlyForPatchableCasesAndCompiles(string caseName)
    {
        var assemblyName = "Emitted." + caseName;
        var v1 = CaseCompiler.Compile(caseName, "v1", assemblyName).AssemblyPath;
        var v2 = CaseCompiler.Compile(caseName, "v2", assemblyName).AssemblyPath;
        bool patchable = File.ReadLines(Path.Combine(Repository.CasesDirectory, caseName, "expected.txt")).Any(l => l.Trim() == "patchable true");

        var work = InlineAssembly.TempDirectory(caseName);
        var patchableBase = Path.Combine(work, "base", assemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchableBase, new InstrumentOptions { CopyRuntime = false });
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchableBase, v2, patchPath) { PatchId = "emitted-" + caseName, Model = CaseModel.Of(caseName) });
        if (!patchable)
        {
            Assert.NotEqual(0, build.ExitCode);
            Assert.False(File.Exists(patchPath));
            Assert.Empty(Directory.GetFiles(work)); // no temporary file left either
            return;
        }
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        Assert.NotEmpty(build.Replaced);

        AssemblyLoadContext.Default.LoadFromAssemblyPath(patchableBase);
        var info = PatchRuntime.Enable(patchPath);
        try
        {
            Assert.Equal(build.Replaced.Select(r => r.DocumentationId).OrderBy(x => x, StringComparer.Ordinal), info.Replaces.OrderBy(x => x, StringComparer.Ordinal));
            var patch = AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Single(a => a.GetCustomAttribute<PatchAttribute>()?.Id == build.PatchId && a.GetName().Name!.StartsWith(assemblyName, StringComparison.Ordinal));
            foreach (var type in patch.GetTypes().Where(t => !t.ContainsGenericParameters))
            {
                foreach (var method in type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance).Cast<MethodBase>()
                    .Concat(type.GetConstructors(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)))
                {
                    if (method.ContainsGenericParameters || method.IsAbstract || method.GetMethodBody() is null)
                        continue;
                    try
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle, type.IsGenericType ? type.GetGenericArguments().Select(t => t.TypeHandle).ToArray() : null);
                    }
                    catch (Exception e)
                    {
                        Assert.Fail($"{type.FullName}.{method.Name} does not compile: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
        }
    }
}
