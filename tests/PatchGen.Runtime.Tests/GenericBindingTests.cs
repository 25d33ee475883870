namespace PatchGen.Runtime.Tests;

/// <summary>
/// Issue 14, item 5: generic replacements that used to bind only at their first call. A replacement of a
/// generic method is called through one instantiation per set of type arguments, made when the first call
/// with those arguments arrives; whatever would make that fail (a signature that is not the original's, a
/// constraint the original does not have, a member the running base lacks) must refuse the patch before
/// its transition starts, with PG0001 and the process untouched.
/// </summary>
public sealed class GenericBindingTests : IDisposable
{
    private const string Source = """
        namespace Probe;

        public class Calc
        {
            public int Inner(int x) => x + 1;
        }

        public static class Lists
        {
            public static string Repeat<T>(T value, int times) => string.Join(",", System.Linq.Enumerable.Repeat(value, times));
        }

        public sealed class Box<T>
        {
            public T Value = default!;
            public string Describe<U>(U extra) => "box " + Value + " " + extra;
        }

        public static class Api
        {
            public static string Repeat(string value, int times) => Lists.Repeat(value, times);
            public static string Describe(string value, int extra) => new Box<string> { Value = value }.Describe(extra);
        }
        """;

    private static readonly Dictionary<string, string> Originals = new()
    {
        ["M:Probe.Lists.Repeat``1(``0,System.Int32)"] = "public static string Repeat<T>(T value, int times) => string.Join(\",\", System.Linq.Enumerable.Repeat(value, times));",
        ["M:Probe.Box`1.Describe``1(``0)"] = "public static string Describe<T, U>(Probe.Box<T> self, U extra) => \"box \" + self.Value + \" \" + extra;",
    };

    public void Dispose() => RuntimeFixture.Settle();

    private static string Call(ProbeBase probe, string method, params object[] args)
        => (string)probe.Assembly.GetType("Probe.Api")!.GetMethod(method)!.Invoke(null, args)!;

    /// <summary>The issue's own case: <c>long</c> where the original takes <c>int</c>.</summary>
    [Fact]
    public void AGenericReplacementWithAnotherParameterTypeIsRefused()
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals);
        var patch = probe.Patch("generic-long", """
            [Replaces("M:Probe.Lists.Repeat``1(``0,System.Int32)")]
            public static string Repeat<T>(T value, long times) => "patched";
            """);
        AssertRefused(probe, patch, "generic-long", "does not match its signature");
    }

    /// <summary>A constraint the original lacks: the instantiation for a reference type could never be made.</summary>
    [Fact]
    public void AGenericReplacementWithAConstraintTheOriginalLacksIsRefused()
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals);
        var patch = probe.Patch("generic-constraint", """
            [Replaces("M:Probe.Lists.Repeat``1(``0,System.Int32)")]
            public static string Repeat<T>(T value, int times) where T : struct => "patched";
            """);
        AssertRefused(probe, patch, "generic-constraint", "constraint");
    }

    /// <summary>A generic replacement (of a generic method of a generic type) calling a method the running base does not have.</summary>
    [Fact]
    public void AGenericReplacementCallingAMemberTheBaseLacksIsRefused()
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals);
        var otherBuild = Compiler.Compile(probe.Name, """
            namespace Probe;
            public sealed class Box<T> { public T Value = default!; public string Describe<U>(U extra) => ""; public string Extra() => ""; }
            """);
        var patch = Compiler.Compile("generic_missing_" + Guid.NewGuid().ToString("N")[..6], $$"""
            using PatchGen.Runtime;
            [assembly: Patch("generic-missing", "{{probe.Name}}", "{{probe.Mvid}}")]
            public static class Replacements
            {
                [Replaces("M:Probe.Box`1.Describe``1(``0)")] public static string Describe<T, U>(Probe.Box<T> self, U extra) => self.Extra() + extra;
            }
            public static class Originals
            {
                [Original("M:Probe.Box`1.Describe``1(``0)")] public static string Describe<T, U>(Probe.Box<T> self, U extra) => "box " + self.Value + " " + extra;
            }
            """, otherBuild);
        AssertRefused(probe, patch, "generic-missing", "Extra");
    }

    /// <summary>The negative case: a well-formed generic replacement is accepted and runs for every instantiation.</summary>
    [Fact]
    public void AWellFormedGenericReplacementIsAccepted()
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals);
        var info = PatchRuntime.Enable(probe.Patch("generic-good", """
            [Replaces("M:Probe.Lists.Repeat``1(``0,System.Int32)")]
            public static string Repeat<T>(T value, int times) => "patched " + value + "x" + times;
            """));
        RuntimeFixture.WaitCompleted();
        Assert.Equal("patched ax2", Call(probe, "Repeat", "a", 2));
        PatchRuntime.Disable(info.Id);
        RuntimeFixture.WaitCompleted();
        Assert.Equal("a,a", Call(probe, "Repeat", "a", 2));
    }

    private static void AssertRefused(ProbeBase probe, byte[] patch, string id, string reason)
    {
        Assert.Equal("a,a", Call(probe, "Repeat", "a", 2));
        Assert.Equal("box a 1", Call(probe, "Describe", "a", 1));
        var e = Assert.Throws<PatchRuntimeException>(() => PatchRuntime.Enable(patch));
        Assert.Equal("PG0001", e.DiagnosticId);
        Assert.Contains(reason, e.Message);
        Assert.Null(PatchRuntime.GetStatus().Transition);
        Assert.DoesNotContain(PatchRuntime.GetStatus().Patches, p => p.Id == id);
        Assert.Equal("a,a", Call(probe, "Repeat", "a", 2));
        Assert.Equal("box a 1", Call(probe, "Describe", "a", 1));
    }
}
