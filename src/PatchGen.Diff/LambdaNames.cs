using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>How reports name a lambda or local function: in C# terms, never by the compiler's name.</summary>
internal static class LambdaNames
{
    /// <summary><c>lambda at line 13</c>, <c>async lambda at line 13</c>, <c>local function Keep at line 19</c> (no line without symbols).</summary>
    /// <param name="withKind">Say <c>async</c> or <c>iterator</c> (not when the message says it already).</param>
    public static string Describe(DiffContext context, MethodDefinition method, bool withKind = true)
    {
        var what = GeneratedCode.LocalFunctionName(method.Name) is { } local ? "local function " + local : "lambda";
        if (withKind && GeneratedCode.StateMachineOf(method) is { } machine)
            what = machine.Kind + " " + what;
        return Locate(context, method) is { Line: { } line } ? what + " at line " + line.ToString(System.Globalization.CultureInfo.InvariantCulture) : what;
    }

    /// <summary>The first line of its code: an async or iterator one's is in its state machine (the method itself is a hidden stub).</summary>
    public static SourceLocation? Locate(DiffContext context, MethodDefinition method)
    {
        if (GeneratedCode.StateMachineOf(method) is { } machine
            && machine.Type.Methods.FirstOrDefault(m => m.Name == "MoveNext") is { } moveNext
            && context.NewSource.ForMethod(moveNext) is { Line: not null } inside)
            return inside;
        return context.NewSource.ForMethod(method);
    }
}
