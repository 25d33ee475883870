using System.Collections.Generic;

// The fix declares a system state and two callbacks. It declares the attributes itself (they are
// recognised by full name); the patch carries them as PatchGen.Runtime's own.
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
    internal sealed class PatchCallbackAttribute : System.Attribute
    {
        public PatchCallbackAttribute(PatchCallbackKind kind) { }
    }

    [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class PatchSystemStateAttribute : System.Attribute
    {
        public PatchSystemStateAttribute(int id, int version) { }
    }
}
