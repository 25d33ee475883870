using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace PatchGen.Instrumentation;

/// <summary>
/// Rewrites one method body into the tracked or leaf shape of docs/patch-sites.md. Original
/// instructions are kept as objects (a <c>ret</c> is changed in place into <c>leave</c> or
/// <c>stloc</c>), so branch targets, exception handlers and sequence points that refer to them stay
/// attached; Cecil recomputes offsets and branch forms when the body is written.
/// </summary>
internal sealed class MethodRewriter
{
    private readonly RuntimeReferences _references;
    private readonly FieldReference _baseField;

    public MethodRewriter(RuntimeReferences references, FieldReference baseField)
    {
        _references = references;
        _baseField = baseField;
    }

    public void RewriteTracked(MethodDefinition method, int site, FieldReference slot, DispatchTarget target)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var instructions = body.Instructions;
        var first = instructions[0];

        var threadState = new VariableDefinition(_references.ThreadPatchState);
        body.Variables.Add(threadState);
        VariableDefinition? result = null;
        if (!IsVoid(method.ReturnType))
        {
            result = new VariableDefinition(WithoutModifiers(method.ReturnType));
            body.Variables.Add(result);
        }

        // The epilogue after the protected region: RET is the target of every leave.
        var ret = result != null ? Instruction.Create(OpCodes.Ldloc, result) : Instruction.Create(OpCodes.Ret);

        // Every ret of the body becomes (stloc result;) leave RET, and a tail call becomes a plain call:
        // neither a ret nor a tail call may leave a protected region.
        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (instruction.OpCode.Code == Code.Ret)
            {
                if (result is null)
                {
                    instruction.OpCode = OpCodes.Leave;
                    instruction.Operand = ret;
                }
                else
                {
                    instruction.OpCode = OpCodes.Stloc;
                    instruction.Operand = result;
                    instructions.Insert(++i, Instruction.Create(OpCodes.Leave, ret));
                }
            }
            else if (instruction.OpCode.Code == Code.Tail)
            {
                // A nop keeps any branch or sequence point that targets the prefix.
                instruction.OpCode = OpCodes.Nop;
                instruction.Operand = null;
            }
        }

        // Appended in the protected region, after the body: the dispatch path.
        var dispatch = Instruction.Create(OpCodes.Ldsfld, slot);
        var popBody = Instruction.Create(OpCodes.Pop);
        var appended = new List<Instruction> { dispatch, Instruction.Create(OpCodes.Ldloc, threadState) };
        AppendResolve(appended, target, popBody, method);
        if (result != null)
            appended.Add(Instruction.Create(OpCodes.Stloc, result));
        appended.Add(Instruction.Create(OpCodes.Leave, ret));
        appended.Add(popBody);
        appended.Add(Instruction.Create(OpCodes.Br, first));

        var finallyStart = Instruction.Create(OpCodes.Ldloc, threadState);
        appended.Add(finallyStart);
        appended.Add(Instruction.Create(OpCodes.Callvirt, _references.Exit));
        appended.Add(Instruction.Create(OpCodes.Endfinally));
        appended.Add(ret);
        if (result != null)
            appended.Add(Instruction.Create(OpCodes.Ret));

        CloseHandlersAtEnd(body, dispatch);
        foreach (var instruction in appended)
            instructions.Add(instruction);

        var tryStart = Instruction.Create(OpCodes.Volatile);
        var prologue = new[]
        {
            Instruction.Create(OpCodes.Ldsfld, _baseField),
            Instruction.Create(OpCodes.Ldc_I4, site),
            Instruction.Create(OpCodes.Add),
            Instruction.Create(OpCodes.Call, _references.Enter),
            Instruction.Create(OpCodes.Stloc, threadState),
            tryStart,
            Instruction.Create(OpCodes.Ldsfld, slot),
            Instruction.Create(OpCodes.Brtrue, dispatch),
        };
        for (int i = 0; i < prologue.Length; i++)
            instructions.Insert(i, prologue[i]);

        // Last, so that the body's own handlers (inner ones first, as ECMA-335 requires) stay nested inside it.
        body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Finally)
        {
            TryStart = tryStart,
            TryEnd = finallyStart,
            HandlerStart = finallyStart,
            HandlerEnd = ret,
        });
        body.OptimizeMacros();
    }

    public void RewriteLeaf(MethodDefinition method, FieldReference slot, DispatchTarget target)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var instructions = body.Instructions;
        var first = instructions[0];

        var dispatch = Instruction.Create(OpCodes.Ldsfld, slot);
        var popBody = Instruction.Create(OpCodes.Pop);
        // A leaf pushed nothing on the shadow stack: Resolve gets null and finds the thread's state itself.
        var appended = new List<Instruction> { dispatch, Instruction.Create(OpCodes.Ldnull) };
        AppendResolve(appended, target, popBody, method);
        appended.Add(Instruction.Create(OpCodes.Ret));
        appended.Add(popBody);
        appended.Add(Instruction.Create(OpCodes.Br, first));

        CloseHandlersAtEnd(body, dispatch);
        foreach (var instruction in appended)
            instructions.Add(instruction);
        instructions.Insert(0, Instruction.Create(OpCodes.Ldsfld, slot));
        instructions.Insert(1, Instruction.Create(OpCodes.Brtrue, dispatch));
        body.OptimizeMacros();
    }

    /// <summary>resolve; dup; brfalse POP_BODY; castclass D; ldarg.0..n; callvirt D::Invoke.</summary>
    private void AppendResolve(List<Instruction> code, DispatchTarget target, Instruction popBody, MethodDefinition method)
    {
        if (target.IsGeneric)
        {
            code.Add(Instruction.Create(OpCodes.Ldtoken, target.DelegateType));
            code.Add(Instruction.Create(OpCodes.Callvirt, _references.ResolveGeneric));
        }
        else
        {
            code.Add(Instruction.Create(OpCodes.Callvirt, _references.Resolve));
        }
        code.Add(Instruction.Create(OpCodes.Dup));
        code.Add(Instruction.Create(OpCodes.Brfalse, popBody));
        code.Add(Instruction.Create(OpCodes.Castclass, target.DelegateType));
        if (method.HasThis)
            code.Add(Instruction.Create(OpCodes.Ldarg, method.Body.ThisParameter));
        foreach (var parameter in method.Parameters)
            code.Add(Instruction.Create(OpCodes.Ldarg, parameter));
        code.Add(Instruction.Create(OpCodes.Callvirt, target.Invoke));
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

    private static bool IsVoid(TypeReference type)
        => WithoutModifiers(type) is { Namespace: "System", Name: "Void" } t && t is not TypeSpecification;

    private static TypeReference WithoutModifiers(TypeReference type)
    {
        while (type is IModifierType modified)
            type = modified.ElementType;
        return type;
    }
}
