using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A patched method's stack trace reads like the fixed source: the holder type has the original type's
/// name, and the patch embeds the fix's sequence points, so the frame names the fixed file and line.
/// </summary>
public class StackTraceTests
{
    private const string V1 = """
        namespace Traced;
        public static class Parser
        {
            public static int Parse(string text)
            {
                return int.Parse(text);
            }
        }
        """;

    private const string V2 = """
        namespace Traced;
        public static class Parser
        {
            public static int Parse(string text)
            {
                if (text.Length == 0)
                    throw new System.ArgumentException("empty input");
                return int.Parse(text);
            }
        }
        """;

    [Fact]
    public void FrameOfAPatchedMethodNamesTheTypeAndTheFixedLine()
    {
        var patch = InlinePatch.Create("stack-trace", V1, V2);
        var info = PatchRuntime.Enable(patch.PatchPath);
        try
        {
            Transitions.Complete();
            var error = Assert.Throws<ArgumentException>(() => patch.Call("Traced.Parser", "Parse", ""));
            var frame = error.StackTrace!.Split('\n')[0];
            Assert.Contains("Traced.Parser.Parse(", frame);
            Assert.Contains(Path.Combine("v2", "Inline.stack-trace.cs") + ":line 7", frame);
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(10));
        }
    }
}
