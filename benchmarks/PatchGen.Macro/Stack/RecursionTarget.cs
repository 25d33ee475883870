using System.Reflection;

namespace PatchGen.Macro.Stack;

/// <summary>The recursive methods of PatchGen.Macro.Recursion in one copy (plain or instrumented), as delegates.</summary>
internal sealed class RecursionTarget
{
    public const string Countdown = "Countdown";
    public const string ParseNested = "ParseNested";

    public static readonly string[] Methods = [Countdown, ParseNested];

    private delegate int ParseNestedFunc(string text, ref int position, Func<int> atBottom);

    private readonly Func<int, Func<int>, int> _countdown;
    private readonly ParseNestedFunc _parseNested;
    private readonly Func<int, string> _nestedText;

    public RecursionTarget(Assembly assembly)
    {
        var type = assembly.GetType("PatchGen.Macro.Recursion.Recursive", throwOnError: true)!;
        _countdown = type.GetMethod(Countdown)!.CreateDelegate<Func<int, Func<int>, int>>();
        _parseNested = type.GetMethod(ParseNested)!.CreateDelegate<ParseNestedFunc>();
        _nestedText = type.GetMethod("NestedText")!.CreateDelegate<Func<int, string>>();
    }

    /// <summary>Recurses <paramref name="depth"/> frames deep in <paramref name="method"/> and calls <paramref name="atBottom"/> there.</summary>
    public Action<int> Recurser(string method, Func<int> atBottom) => method switch
    {
        Countdown => depth => _countdown(depth, atBottom),
        ParseNested => depth =>
        {
            // The text is built outside the measured recursion; only the parse recurses.
            var text = _nestedText(depth);
            int position = 0;
            _parseNested(text, ref position, atBottom);
        },
        _ => throw new ArgumentException("unknown method " + method),
    };
}
