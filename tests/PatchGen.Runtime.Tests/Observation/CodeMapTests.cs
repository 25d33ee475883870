using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Observation;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

[Collection(ObservationCollection.Name)]
public sealed class CodeMapTests(ObservationFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void ResolvesAMethodThisTestCompiledByAnAddressInsideItsCode()
    {
        MethodInfo method = typeof(CodeMapTests).GetMethod(nameof(CompiledHere), BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.Equal(7, CompiledHere(3));
        fixture.Sync();

        MethodCodeInfo code = fixture.Map.GetMethodCode(method);
        CodeVersion version = Assert.Single(code.Versions);
        Assert.Equal(CodeVersionSource.Jit, version.Source);
        Assert.Equal(CodeTier.Optimized, version.Tier);
        Assert.True(version.InliningKnown);
        Assert.Equal((uint)method.MetadataToken, version.Token);

        foreach (ulong ip in new[] { version.StartAddress, version.StartAddress + (version.Size / 2), version.EndAddress - 1 })
        {
            CodeVersion? found = fixture.Map.FindByAddress(ip);
            Assert.Same(version, found);
            Assert.Equal(method, fixture.Map.Resolve(found!));
        }

        Assert.NotSame(version, fixture.Map.FindByAddress(version.EndAddress));
    }

    [Fact]
    public void RundownCoversCodeCompiledBeforeTheSessionStarted()
    {
        // xunit's own code ran before the fixture's session: it is known through the rundown only.
        IReadOnlyList<CodeVersion> all = fixture.Map.Snapshot();
        Assert.Contains(all, v => v.Source == CodeVersionSource.Rundown && !v.InliningKnown);
        var tiers = all.GroupBy(v => v.Tier).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{all.Count} code versions: " + string.Join(", ", tiers.Select(t => $"{t.Key}={t.Value}")));

        int resolved = 0, tried = 0;
        foreach (CodeVersion v in all.Where(v => v.Source == CodeVersionSource.Rundown && !v.IsDynamic && v.Token != 0).Take(300))
        {
            tried++;
            MethodBase? method = fixture.Map.Resolve(v);
            if (method is not null)
            {
                resolved++;
                Assert.True(MethodNameMatcher.Matches(v.Name, method), $"{v.Name} resolved to {method.DeclaringType}.{method.Name}");
            }
        }

        output.WriteLine($"resolved {resolved}/{tried} rundown code versions to MethodBase");
        Assert.True(resolved > tried / 2);
    }

    [Fact]
    public void ResolvesCodeOfAnAssemblyLoadedFromBytes()
    {
        // No path, and collectible (as patches are): the module is identified by its assembly name and
        // tokens, never through a method handle.
        string dll = PatchGen.TestSupport.InlineAssembly.Compile(
            PatchGen.TestSupport.InlineAssembly.TempDirectory("observation"), "ObservationFromBytes",
            "public static class FromBytes { public static int Twice(int x) { int s = 0; for (int i = 0; i < 2; i++) s += x; return s; } }");
        var context = new System.Runtime.Loader.AssemblyLoadContext("observation-from-bytes", isCollectible: true);
        Assembly assembly = context.LoadFromStream(new MemoryStream(File.ReadAllBytes(dll)));
        MethodInfo twice = assembly.GetType("FromBytes")!.GetMethod("Twice")!;
        RuntimeHelpers.PrepareMethod(twice.MethodHandle);
        Assert.Equal(10, (int)twice.Invoke(null, [5])!);
        fixture.Sync();

        MethodCodeInfo code = fixture.Map.GetMethodCode(twice);
        Assert.NotEmpty(code.Versions);
        Assert.All(code.Versions, v => Assert.Equal(twice, fixture.Map.Resolve(v)));
        Assert.Equal(twice.Module, fixture.Map.ResolveModule(code.Versions[0].ModuleId));
    }

    [Fact]
    public void AnAddressIndexAnswersFromTheMomentItWasTakenWhileTheMapGoesOnGrowing()
    {
        // A stack snapshot looks up every frame in one index: code added meanwhile does not make it re-sort.
        var map = new CodeMap();
        CodeVersion first = map.Add(Load(methodId: 1, start: 0x1000, token: 0x06000001), CodeVersionSource.Jit, []);
        CodeAddressIndex index = map.AddressIndex();
        CodeVersion later = map.Add(Load(methodId: 2, start: 0x2000, token: 0x06000002), CodeVersionSource.Jit, []);

        Assert.Same(first, index.Find(0x1010));
        Assert.Null(index.Find(0x2010));
        Assert.Same(later, map.FindByAddress(0x2010));
        Assert.Same(later, map.AddressIndex().Find(0x2010));
        Assert.Null(default(CodeAddressIndex).Find(0x1010));
    }

    [Fact]
    public void AModuleThatCannotBeIdentifiedIsSearchedForAgainOnlyWhenItsEventsSaySomethingNew()
    {
        // Every lookup by token meets every module's versions of that token: a module no loaded one matches
        // must not be searched for at every lookup (certification rounds took seconds in large processes).
        var map = new CodeMap();
        map.AddModule(new ModuleLoadRecord(ModuleId: 0x77, AssemblyId: 0x88, Flags: 0, ILPath: "/nowhere/Unknown.dll", NativePath: ""));
        CodeVersion version = map.Add(Load(methodId: 3, start: 0x3000, token: 0x06000001, moduleId: 0x77), CodeVersionSource.Jit, []);

        Assert.Null(map.Resolve(version));
        int attempts = map.IdentifyAttempts;
        Assert.Null(map.Resolve(version));
        Assert.Null(map.ResolveModule(0x77));
        Assert.Equal(attempts, map.IdentifyAttempts);

        map.Add(Load(methodId: 4, start: 0x4000, token: 0x06000002, moduleId: 0x77), CodeVersionSource.Jit, []);
        Assert.Null(map.ResolveModule(0x77));
        Assert.Equal(attempts + 1, map.IdentifyAttempts);

        // Collectible (flag 0x8): the map then never turns this test's made-up method IDs into handles.
        map.AddAssembly(new AssemblyLoadRecord(AssemblyId: 0x88, Flags: 0x8, FullName: "Unknown, Version=1.0.0.0"));
        Assert.Null(map.ResolveModule(0x77));
        Assert.Equal(attempts + 2, map.IdentifyAttempts);
    }

    [Theory]
    [InlineData(1, 5, 3000)]
    [InlineData(2, 5, 3000)]
    [InlineData(3, 5, 3000)]
    // Few snapshots: long runs of unchanged versions copied whole between the places that changed.
    [InlineData(4, 200, 6000)]
    // More removals between two snapshots than are found one by one (every old version checked instead).
    [InlineData(5, 5000, 12000)]
    public void TheAddressOrderMergedFromWhatWasAddedIsTheOrderOfAFullSort(int seed, int snapshotOneIn, int steps)
    {
        // The map sorts only what was added since its last snapshot and merges it in. Oracle: every live version
        // sorted from scratch, with the overlap rule (of two overlapping versions the newer is kept), after random
        // adds (some overlapping, some replacing a version with one that knows its inlinees), removals, and
        // snapshots at random moments.
        var random = new Random(seed);
        var map = new CodeMap();
        var live = new Dictionary<(ulong, ulong), CodeVersion>();
        int snapshots = 0;
        for (int step = 0; step < steps; step++)
        {
            if (random.Next(snapshotOneIn) == 0)
            {
                CodeVersion[] expected = FullSort(live.Values);
                Assert.Equal(expected, map.Snapshot());
                snapshots++;
                // The map forgets the overlapped versions for good, as the model must.
                live = expected.ToDictionary(v => (v.MethodId, v.StartAddress));
            }
            else if (random.Next(4) != 0 || live.Count == 0)
            {
                ulong methodId = (ulong)random.Next(1, 400);
                ulong start = 0x10000 + ((ulong)random.Next(0, 2000) * 0x40);
                var record = Load(methodId, start, token: 0x06000000 | (uint)methodId) with { Size = (uint)random.Next(1, 0x200) };
                CodeVersion version = map.Add(record, CodeVersionSource.Jit, random.Next(2) == 0 ? null : []);
                live[(methodId, start)] = version;
            }
            else
            {
                CodeVersion gone = live.Values.ElementAt(random.Next(live.Count));
                map.Remove(Load(gone.MethodId, gone.StartAddress, gone.Token));
                live.Remove((gone.MethodId, gone.StartAddress));
            }
        }

        Assert.Equal(FullSort(live.Values), map.Snapshot());
        output.WriteLine($"{snapshots} snapshots, {live.Count} versions at the end");
    }

    private static CodeVersion[] FullSort(IEnumerable<CodeVersion> versions)
    {
        var kept = new List<CodeVersion>();
        foreach (CodeVersion version in versions.OrderBy(v => v.StartAddress).ThenBy(v => v.Order))
        {
            while (kept.Count > 0 && kept[^1].EndAddress > version.StartAddress && kept[^1].Order < version.Order)
                kept.RemoveAt(kept.Count - 1);
            if (kept.Count == 0 || kept[^1].EndAddress <= version.StartAddress)
                kept.Add(version);
        }

        return kept.ToArray();
    }

    private static MethodLoadRecord Load(ulong methodId, ulong start, uint token, ulong moduleId = 0x55)
        => new(methodId, moduleId, start, Size: 0x100, token, Flags: 0, new EventMethodName("Fake.Type", "M" + methodId, "void ()"), ReJitId: 0);

    [Fact]
    public void NormalizesGenericTypeNames()
    {
        Assert.Equal("System.Collections.Generic.List`1", MethodNameMatcher.NormalizeTypeName("System.Collections.Generic.List`1[System.Int32]"));
        Assert.Equal(
            "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter",
            MethodNameMatcher.NormalizeTypeName("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter[System.Int32]"));
        Assert.Equal("A`2", MethodNameMatcher.NormalizeTypeName("A`2[System.Collections.Generic.List`1[System.Int32],System.__Canon]"));

        IReadOnlyList<MethodBase> adds = MethodNameMatcher.FindCandidates(new EventMethodName("System.Collections.Generic.List`1[System.__Canon]", "Add", "instance void (!0)"));
        Assert.Contains(adds, m => m.DeclaringType == typeof(List<>) && m.Name == "Add");
        Assert.Empty(MethodNameMatcher.FindCandidates(new EventMethodName("dynamicClass", "IL_STUB", "")));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int CompiledHere(int x) => (x * 2) + 1;
}
