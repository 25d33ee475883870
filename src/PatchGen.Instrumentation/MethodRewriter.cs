using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace PatchGen.Instrumentation;

/// <summary>
/// Rewrites one method body into the shape of docs/patch-sites.md:
/// <code>
///     ldsfld   PatchSite &lt;PatchGen&gt;Sites::sN
///     brtrue   DISPATCH
/// BODY:
///     ...the original body, unchanged...
/// DISPATCH:
///     ldc.i4   N
///     ldarg.0 ... ldarg.n
///     call     R' &lt;PatchGen&gt;Sites::d&lt;k&gt;(int32, ...)      // d&lt;k&gt;&lt;!0.., !!0..&gt; in generic code
///     ret
/// </code>
/// Unpatched, the method pays one static load and a not-taken branch; nothing runs on return. The
/// original instructions are kept as objects, so branch targets, exception handlers and sequence points
/// that refer to them stay attached; Cecil recomputes offsets and branch forms when the body is written.
/// The dispatch path is a call in tail position with no local of its own, so it keeps nothing alive across
/// the call and does not grow the method's frame.
/// </summary>
internal static class MethodRewriter
{
    public static void Rewrite(MethodDefinition method, int site, FieldReference slot, MethodReference stub)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var instructions = body.Instructions;
        var first = instructions[0];

        var dispatch = Instruction.Create(OpCodes.Ldc_I4, site);
        var appended = new List<Instruction> { dispatch };
        if (method.HasThis)
            appended.Add(Instruction.Create(OpCodes.Ldarg, body.ThisParameter));
        foreach (var parameter in method.Parameters)
            appended.Add(Instruction.Create(OpCodes.Ldarg, parameter));
        appended.Add(Instruction.Create(OpCodes.Call, stub));
        appended.Add(Instruction.Create(OpCodes.Ret));

        CloseHandlersAtEnd(body, dispatch);
        foreach (var instruction in appended)
            instructions.Add(instruction);
        instructions.Insert(0, Instruction.Create(OpCodes.Ldsfld, slot));
        instructions.Insert(1, Instruction.Create(OpCodes.Brtrue, dispatch));
        body.OptimizeMacros();
    }

    /// <summary>
    /// A handler that runs to the end of the method (its end is "none" in Cecil) would otherwise grow
    /// over the code appended after it; it ends where that code begins.
    /// </summary>
    private static void CloseHandlersAtEnd(MethodBody body, Instruction appendedStart)
    {
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.HandlerEnd is null)
                handler.HandlerEnd = appendedStart;
            if (handler.TryEnd is null)
                handler.TryEnd = appendedStart;
        }
    }
}
