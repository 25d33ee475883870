using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Cecil.Methods;

/// <summary>
/// Copies one method's body into another method of the same type with the same signature: the instrumenter's inline
/// clones and outlined bodies (site formats 4 and 5, docs/patch-sites.md), and the diff engine's view that gives an
/// outlined method its body back. Defined once, so that a body moved out and moved back is the body read.
/// </summary>
internal static class MethodBodyCopy
{
    /// <summary>
    /// Fills <paramref name="target"/>'s empty body with a copy of <paramref name="source"/>'s: instructions, locals,
    /// exception handlers, the init-locals flag and the stack size, each operand that names an instruction, a local or
    /// a parameter pointing at the copy's own. With <paramref name="moveDebugInformation"/> the source's sequence points,
    /// scopes (local names, constants, imports) and custom debug information move too, attached to the copied
    /// instructions, and the source keeps none: what a debugger or a stack trace shows of the body is then the target's.
    /// Read <paramref name="source"/>'s symbols before its body changes (they are read lazily, by IL offset).
    /// </summary>
    public static void Copy(MethodDefinition source, MethodDefinition target, bool moveDebugInformation)
    {
        var from = source.Body;
        var body = target.Body;
        body.InitLocals = from.InitLocals;
        body.MaxStackSize = from.MaxStackSize;
        var variables = new Dictionary<VariableDefinition, VariableDefinition>();
        foreach (var v in from.Variables)
        {
            var copy = new VariableDefinition(v.VariableType);
            variables.Add(v, copy);
            body.Variables.Add(copy);
        }
        var instructions = new Dictionary<Instruction, Instruction>();
        foreach (var i in from.Instructions)
        {
            var copy = Instruction.Create(OpCodes.Nop);
            copy.OpCode = i.OpCode;
            copy.Operand = i.Operand;
            instructions.Add(i, copy);
            body.Instructions.Add(copy);
        }
        foreach (var copy in body.Instructions)
        {
            copy.Operand = copy.Operand switch
            {
                Instruction instruction => instructions[instruction],
                Instruction[] targets => targets.Select(t => instructions[t]).ToArray(),
                VariableDefinition v => variables[v],
                ParameterDefinition p => p == from.ThisParameter ? body.ThisParameter : target.Parameters[p.Index],
                var operand => operand,
            };
        }
        foreach (var handler in from.ExceptionHandlers)
        {
            // An end of null is the end of the body, as in the source.
            Instruction? Map(Instruction? i) => i is null ? null : instructions[i];
            body.ExceptionHandlers.Add(new ExceptionHandler(handler.HandlerType)
            {
                TryStart = Map(handler.TryStart),
                TryEnd = Map(handler.TryEnd),
                HandlerStart = Map(handler.HandlerStart),
                HandlerEnd = Map(handler.HandlerEnd),
                FilterStart = Map(handler.FilterStart),
                CatchType = handler.CatchType,
            });
        }
        if (moveDebugInformation)
            MoveDebugInformation(source, target, from.Instructions.ToDictionary(i => i.Offset, i => instructions[i]), variables);
    }

    /// <summary>
    /// Moves the symbols: every IL offset they hold (read against the source body as it was read, whose instructions
    /// still have their offsets) becomes the copied instruction at that offset; an offset past the last instruction
    /// stays "the end of the method".
    /// </summary>
    private static void MoveDebugInformation(MethodDefinition source, MethodDefinition target, Dictionary<int, Instruction> at, Dictionary<VariableDefinition, VariableDefinition> variables)
    {
        var info = source.DebugInformation;
        var moved = target.DebugInformation;
        InstructionOffset Map(InstructionOffset offset)
            => !offset.IsEndOfMethod && at.TryGetValue(offset.Offset, out var instruction) ? new InstructionOffset(instruction) : new InstructionOffset();

        foreach (var point in info.SequencePoints)
        {
            if (!at.TryGetValue(point.Offset, out var instruction))
                continue;
            moved.SequencePoints.Add(new SequencePoint(instruction, point.Document)
            {
                StartLine = point.StartLine,
                StartColumn = point.StartColumn,
                EndLine = point.EndLine,
                EndColumn = point.EndColumn,
            });
        }
        info.SequencePoints.Clear();

        if (info.Scope is { } scope)
        {
            var locals = source.Body.Variables;
            MoveScope(scope, Map, v => variables[locals[v.Index]]);
            moved.Scope = scope;
            info.Scope = null;
        }

        // The state-machine records hold offsets (a MoveNext's, which is virtual and never outlined, but a copy must
        // not carry offsets into another body); the rest (local slot maps, lambda maps, dynamic locals) hold none.
        foreach (var custom in source.CustomDebugInformations)
        {
            switch (custom)
            {
                case StateMachineScopeDebugInformation machine:
                    foreach (var s in machine.Scopes)
                    {
                        s.Start = Map(s.Start);
                        s.End = Map(s.End);
                    }
                    break;
                case AsyncMethodBodyDebugInformation async:
                    async.CatchHandler = async.CatchHandler.IsEndOfMethod ? async.CatchHandler : Map(async.CatchHandler);
                    MapAll(async.Yields, Map);
                    MapAll(async.Resumes, Map);
                    break;
            }
            target.CustomDebugInformations.Add(custom);
        }
        source.CustomDebugInformations.Clear();
    }

    private static void MoveScope(ScopeDebugInformation scope, Func<InstructionOffset, InstructionOffset> map, Func<VariableDebugInformation, VariableDefinition> variableOf)
    {
        scope.Start = map(scope.Start);
        scope.End = map(scope.End);
        if (scope.HasVariables)
        {
            var names = scope.Variables.ToList();
            scope.Variables.Clear();
            foreach (var name in names)
            {
                var copy = new VariableDebugInformation(variableOf(name), name.Name) { Attributes = name.Attributes };
                foreach (var custom in name.CustomDebugInformations)
                    copy.CustomDebugInformations.Add(custom);
                scope.Variables.Add(copy);
            }
        }
        if (scope.HasScopes)
        {
            foreach (var inner in scope.Scopes)
                MoveScope(inner, map, variableOf);
        }
    }

    private static void MapAll(IList<InstructionOffset> offsets, Func<InstructionOffset, InstructionOffset> map)
    {
        for (int i = 0; i < offsets.Count; i++)
            offsets[i] = map(offsets[i]);
    }
}
