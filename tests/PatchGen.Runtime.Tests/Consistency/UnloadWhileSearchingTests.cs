using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PatchGen.Runtime.Consistency;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// The race of <see cref="PatchEngine.Unload"/> with a stack check's IL search (<see cref="StaticInlining"/>): a
/// search remembers its answers under the changed code it was asked about, which names the patch's methods, so a
/// memo made after the unload forgot the memos keeps the patch's load context alive. Seen once in CI (an Emit test's
/// <c>Unload</c> false after 10 s). The race is placed, not timed: the search waits, between its start and making its
/// memo, until the unload has forgotten once.
/// </summary>
public sealed class UnloadWhileSearchingTests : IDisposable
{
    private readonly PatchEngine _engine = new(nameof(UnloadWhileSearchingTests));

    public void Dispose()
    {
        StaticInlining.BeforeRememberingForTests = null;
        StaticInlining.AfterForgettingForTests = null;
        RuntimeFixture.Settle(_engine);
    }

    [Fact]
    public void ASearchThatRemembersAfterTheUnloadForgotDoesNotKeepThePatchAlive()
    {
        const string Id = "search-late-1";
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch(Id, ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        _engine.Disable(Id);
        RuntimeFixture.WaitCompleted(_engine);
        var site = SiteRegistry.For(probe.Assembly)!.SiteOf(probe.Calc.GetType().GetMethod("Inner")!)!;
        var outer = probe.Calc.GetType().GetMethod("Outer")!;

        using var found = new ManualResetEventSlim();
        using var forgotten = new ManualResetEventSlim();
        Thread? searcher = null;
        Thread? unloader = null;
        bool remembered = false;
        // Only the two threads of this test act on the hooks: other tests' checks and unloads run meanwhile.
        StaticInlining.AfterForgettingForTests = () =>
        {
            if (Thread.CurrentThread == unloader)
                forgotten.Set();
        };
        StaticInlining.BeforeRememberingForTests = () =>
        {
            if (Thread.CurrentThread != searcher)
                return;
            // No assertion here: an exception on this thread would take the test host down.
            remembered = forgotten.Wait(RuntimeFixture.Bound);
        };

        searcher = new Thread(() => SearchNamingThePatch(Id, site, outer, found)) { IsBackground = true, Name = "searching" };
        bool unloaded = false;
        unloader = new Thread(() => unloaded = _engine.Unload(Id, TimeSpan.FromSeconds(10))) { IsBackground = true, Name = "unloading" };
        searcher.Start();
        // The searcher holds the patch's method from here to its end: the unload cannot collect before it remembers.
        Assert.True(found.Wait(RuntimeFixture.Bound), "the patch's assembly was not found");
        unloader.Start();
        Assert.True(searcher.Join(RuntimeFixture.Bound), "the search did not end");
        Assert.True(unloader.Join(RuntimeFixture.Bound), "the unload did not end");

        Assert.True(remembered, "the search did not remember after the unload forgot: the race was not played");
        Assert.True(unloaded, "the patch's load context was still referenced 10 s after the unload began");
    }

    /// <summary>A stack check's search, asked about changed code that names a method of the patch (its replacement of <c>Inner</c>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SearchNamingThePatch(string id, PatchSite site, MethodInfo outer, ManualResetEventSlim found)
    {
        var replacement = PatchAssembly(id).GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)).First();
        var changes = new ChangeSet(1, new HashSet<PatchSite> { site }, new Dictionary<MethodIdentity, PatchSite> { [MethodIdentity.Of(replacement)!.Value] = site }, new Dictionary<string, PatchSite>(StringComparer.Ordinal));
        found.Set();
        StaticInlining.MayInline(outer, changes, exempt: null, profiled: false);
    }

    private static Assembly PatchAssembly(string id)
        => AssemblyLoadContext.All.OfType<PatchLoadContext>().SelectMany(c => c.Assemblies)
            .Single(a => a.GetCustomAttributesData().Any(d => d.AttributeType.Name == "PatchAttribute" && d.ConstructorArguments.Count > 0 && Equals(d.ConstructorArguments[0].Value, id)));
}
