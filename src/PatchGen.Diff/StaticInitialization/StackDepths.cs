using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.StaticInitialization;

/// <summary>
/// The evaluation stack's depth before each instruction of a body, by following the control flow
/// from the entry and every handler (a catch or filter starts with the exception on the stack).
/// -1 for an instruction no path reaches; null when the body is not what a compiler writes (two paths
/// meet with different depths, a depth below zero, an instruction it does not know).
/// </summary>
internal static class StackDepths
{
    public static int[]? Before(MethodBody body)
    {
        var instructions = body.Instructions;
        var index = new Dictionary<Instruction, int>(instructions.Count);
        for (int i = 0; i < instructions.Count; i++)
            index[instructions[i]] = i;
        var depths = Enumerable.Repeat(-1, instructions.Count).ToArray();
        var work = new Stack<(int At, int Depth)>();
        if (instructions.Count > 0)
            work.Push((0, 0));
        foreach (var handler in body.ExceptionHandlers)
        {
            work.Push((index[handler.HandlerStart], handler.HandlerType is ExceptionHandlerType.Catch or ExceptionHandlerType.Filter ? 1 : 0));
            if (handler.FilterStart is not null)
                work.Push((index[handler.FilterStart], 1));
        }
        while (work.Count > 0)
        {
            var (at, depth) = work.Pop();
            while (at < instructions.Count)
            {
                if (depths[at] >= 0)
                {
                    if (depths[at] != depth)
                        return null;
                    break;
                }
                depths[at] = depth;
                var instruction = instructions[at];
                if (Delta(instruction) is not { } delta)
                    return null;
                depth += delta;
                if (depth < 0)
                    return null;
                var flow = instruction.OpCode.FlowControl;
                if (instruction.OpCode.Code is Code.Leave or Code.Leave_S)
                    depth = 0;
                foreach (var target in instruction.Operand switch { Instruction t => new[] { t }, Instruction[] ts => ts, _ => Array.Empty<Instruction>() })
                    work.Push((index[target], depth));
                if (flow is FlowControl.Branch or FlowControl.Return or FlowControl.Throw)
                    break;
                at++;
            }
        }
        return depths;
    }

    /// <summary>What an instruction pushes minus what it pops; null for one whose effect is unknown here.</summary>
    private static int? Delta(Instruction instruction)
    {
        var opCode = instruction.OpCode;
        switch (opCode.Code)
        {
            case Code.Call or Code.Callvirt or Code.Newobj:
                {
                    var method = (MethodReference)instruction.Operand;
                    bool constructs = opCode.Code == Code.Newobj;
                    int pops = method.Parameters.Count + (method.HasThis && !constructs ? 1 : 0);
                    int pushes = constructs || method.ReturnType.MetadataType != MetadataType.Void ? 1 : 0;
                    return pushes - pops;
                }
            case Code.Calli:
                {
                    var site = (CallSite)instruction.Operand;
                    return (site.ReturnType.MetadataType != MetadataType.Void ? 1 : 0) - site.Parameters.Count - (site.HasThis ? 1 : 0) - 1;
                }
            case Code.Ret:
                return 0; // a static constructor returns nothing
            case Code.Jmp:
                return null;
        }
        int? pop = opCode.StackBehaviourPop switch
        {
            StackBehaviour.Pop0 => 0,
            StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
            StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
                or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
            StackBehaviour.Popi_popi_popi or StackBehaviour.Popref_popi_popi or StackBehaviour.Popref_popi_popi8 or StackBehaviour.Popref_popi_popr4
                or StackBehaviour.Popref_popi_popr8 or StackBehaviour.Popref_popi_popref => 3,
            StackBehaviour.PopAll => null,
            _ => null,
        };
        int? push = opCode.StackBehaviourPush switch
        {
            StackBehaviour.Push0 => 0,
            StackBehaviour.Push1 or StackBehaviour.Pushi or StackBehaviour.Pushi8 or StackBehaviour.Pushr4 or StackBehaviour.Pushr8 or StackBehaviour.Pushref => 1,
            StackBehaviour.Push1_push1 => 2,
            _ => null,
        };
        if (opCode.Code is Code.Leave or Code.Leave_S or Code.Endfinally)
            return 0; // they empty the stack; handled by the caller
        return push - pop;
    }
}
