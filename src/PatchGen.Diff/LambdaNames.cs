using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>How reports name a lambda or local function: in C# terms, never by the compiler's name.</summary>
internal static class LambdaNames
{
    /// <summary><c>lambda at line 13</c>, <c>async lambda at line 13</c>, <c>local function Keep at line 19</c> (no line without symbols).</summary>
    public static string Describe(DiffContext context, MethodDefinition method)
    {
        var what = GeneratedCode.LocalFunctionName(method.Name) is { } local ? "local function " + local : "lambda";
        if (GeneratedCode.StateMachineOf(method) is { } machine)
            what = (machine.Kind == "async" ? "async " : machine.Kind + " ") + what;
        return context.NewSource.ForMethod(method) is { Line: { } line } ? what + " at line " + line.ToString(System.Globalization.CultureInfo.InvariantCulture) : what;
    }
}
