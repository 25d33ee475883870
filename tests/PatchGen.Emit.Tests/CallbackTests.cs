using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>
/// Callbacks and system states are written in the fix's source: new static methods marked
/// <c>[PatchGen.Runtime.PatchCallback(kind)]</c>, and <c>[assembly: PatchGen.Runtime.PatchSystemState(id, version)]</c>.
/// The attributes are recognised by name, so the fix can reference PatchGen.Runtime or declare them
/// itself (as here); the patch carries them as the runtime's own attributes, and the runtime runs them.
/// </summary>
public class CallbackTests
{
    private const string V1 = """
        using System.Collections.Generic;
        namespace Hooked;
        public static class Journal
        {
            public static readonly List<string> Events = new();
            public static string Greeting() => "hello";
        }
        """;

    private const string V2 = """
        using System.Collections.Generic;
        [assembly: PatchGen.Runtime.PatchSystemState(7, 2)]
        namespace Hooked
        {
            public static class Journal
            {
                public static readonly List<string> Events = new();
                public static string Greeting() => "hello, patched";
            }
            internal static class Hooks
            {
                [PatchGen.Runtime.PatchCallback(PatchGen.Runtime.PatchCallbackKind.PostPatch)]
                private static void Ready() => Journal.Events.Add("post-patch " + Journal.Greeting());
                [PatchGen.Runtime.PatchCallback(PatchGen.Runtime.PatchCallbackKind.PreUnpatch)]
                private static void Leaving() => Journal.Events.Add("pre-unpatch");
            }
        }
        namespace PatchGen.Runtime
        {
            internal enum PatchCallbackKind { PrePatch, PostPatch, PreUnpatch, PostUnpatch }
            [System.AttributeUsage(System.AttributeTargets.Method)]
            internal sealed class PatchCallbackAttribute : System.Attribute { public PatchCallbackAttribute(PatchCallbackKind kind) { } }
            [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
            internal sealed class PatchSystemStateAttribute : System.Attribute { public PatchSystemStateAttribute(int id, int version) { } }
        }
        """;

    [Fact]
    public void CallbacksAndSystemStateWrittenInTheFixRunInTheLiveProcess()
    {
        var patch = InlinePatch.Create("callbacks", V1, V2);
        var description = PatchInspector.Inspect(patch.PatchPath);
        Assert.Equal(new[] { ("PostPatch", "Hooked.Hooks::Ready"), ("PreUnpatch", "Hooked.Hooks::Leaving") }, description.Callbacks);
        Assert.Equal(new[] { (7, 2) }, description.SystemStates);

        var events = (System.Collections.Generic.List<string>)patch.Live.GetType("Hooked.Journal")!.GetField("Events")!.GetValue(null)!;
        var info = PatchRuntime.Enable(patch.PatchPath);
        Transitions.Complete();
        Assert.Equal(new[] { "post-patch hello, patched" }, events);
        PatchRuntime.Disable(info.Id);
        Transitions.Complete();
        Assert.Equal(new[] { "post-patch hello, patched", "pre-unpatch" }, events);
        Assert.Equal("hello", patch.Call("Hooked.Journal", "Greeting"));
    }
}
