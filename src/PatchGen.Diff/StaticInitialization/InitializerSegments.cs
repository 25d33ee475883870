using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.StaticInitialization;

/// <summary>
/// Finds, in a static constructor, the statements that initialise added static fields: for each
/// <c>stsfld</c> of such a field with only its value on the stack, the shortest run of instructions
/// ending there that starts with an empty stack and is self-contained, so that it can be left out of
/// the constructor's text and run on its own in the patch:
/// <list type="bullet">
/// <item>no branch from outside the run lands inside it, none inside it leaves it, and no exception
/// handler touches it (a statement inside a <c>try</c> is not a field initializer);</item>
/// <item>every local it reads it wrote first (compiler temporaries), so it needs nothing computed before;</item>
/// <item>the only static fields it stores are added ones (and the compiler's lambda caches): it
/// changes no state the live process already has;</item>
/// <item>it reads no existing static field of its type that the constructor assigns after it: in the
/// patch it runs after the whole live static constructor did, and would see the later value.</item>
/// </list>
/// A store that is not found this way stays in the text, and makes the constructor differ (PG2004).
/// </summary>
internal static class InitializerSegments
{
    public static IReadOnlyList<InitializerSegment> Find(MethodDefinition staticConstructor, Func<FieldDefinition, bool> isAdded)
    {
        var found = new List<InitializerSegment>();
        if (!staticConstructor.HasBody)
            return found;
        var instructions = staticConstructor.Body.Instructions;
        int[]? depths = null;
        for (int i = 0; i < instructions.Count; i++)
        {
            if (instructions[i].OpCode.Code != Code.Stsfld || Resolve(instructions[i].Operand as FieldReference) is not { } field
                || field.DeclaringType != staticConstructor.DeclaringType || !isAdded(field))
                continue;
            depths ??= StackDepths.Before(staticConstructor.Body);
            if (depths is null || depths[i] != 1)
                continue;
            if (Start(staticConstructor.Body, depths, i, isAdded) is { } start)
                found.Add(new InitializerSegment(field, start, i));
        }
        return found;
    }

    private static int? Start(MethodBody body, int[] depths, int end, Func<FieldDefinition, bool> isAdded)
    {
        var instructions = body.Instructions;
        var index = new Dictionary<Instruction, int>(instructions.Count);
        for (int i = 0; i < instructions.Count; i++)
            index[instructions[i]] = i;
        for (int start = end; start >= 0; start--)
        {
            if (depths[start] < 0)
                return null; // unreachable code inside: not a plain statement
            if (depths[start] == 0 && SelfContained(body, index, start, end))
                return ReadsAndWritesOnlyItsOwn(body, start, end, isAdded) ? start : null;
        }
        return null;
    }

    private static bool SelfContained(MethodBody body, Dictionary<Instruction, int> index, int start, int end)
    {
        var instructions = body.Instructions;
        bool Inside(Instruction? target) => target is not null && index.TryGetValue(target, out int at) && at >= start && at <= end;
        foreach (var handler in body.ExceptionHandlers)
        {
            int tryStart = index[handler.TryStart], handlerEnd = handler.HandlerEnd is null ? instructions.Count : index[handler.HandlerEnd];
            if (tryStart <= end && handlerEnd > start)
                return false;
        }
        for (int i = 0; i < instructions.Count; i++)
        {
            bool inside = i >= start && i <= end;
            foreach (var target in Targets(instructions[i]))
            {
                if (inside != Inside(target))
                    return false;
            }
        }
        return true;
    }

    private static IEnumerable<Instruction> Targets(Instruction instruction) => instruction.Operand switch
    {
        Instruction target => new[] { target },
        Instruction[] targets => targets,
        _ => Array.Empty<Instruction>(),
    };

    private static bool ReadsAndWritesOnlyItsOwn(MethodBody body, int start, int end, Func<FieldDefinition, bool> isAdded)
    {
        var instructions = body.Instructions;
        var written = new HashSet<int>();
        var type = body.Method.DeclaringType;
        for (int i = start; i <= end; i++)
        {
            var instruction = instructions[i];
            if (LocalIndex(instruction) is (int local, bool store))
            {
                if (store)
                    written.Add(local);
                else if (!written.Contains(local) && instruction.OpCode.Code is not (Code.Ldloca or Code.Ldloca_S))
                    return false;
                else
                    written.Add(local); // ldloca: the statement initialises it in place (initobj, a struct constructor)
            }
            switch (instruction.OpCode.Code)
            {
                case Code.Stsfld when Resolve(instruction.Operand as FieldReference) is not { } stored
                        || !(isAdded(stored) || !GeneratedCode.IsUserType(stored.DeclaringType)):
                    return false;
                case Code.Ldsfld or Code.Ldsflda when Resolve(instruction.Operand as FieldReference) is { } read
                        && read.DeclaringType == type && !isAdded(read) && AssignedAfter(instructions, end, read):
                    return false;
                case Code.Ret or Code.Leave or Code.Leave_S or Code.Endfinally or Code.Endfilter or Code.Rethrow or Code.Jmp or Code.Localloc:
                    return false;
            }
        }
        return true;
    }

    private static bool AssignedAfter(Mono.Collections.Generic.Collection<Instruction> instructions, int end, FieldDefinition field)
    {
        for (int i = end + 1; i < instructions.Count; i++)
        {
            if (instructions[i].OpCode.Code is Code.Stsfld or Code.Ldsflda && Resolve(instructions[i].Operand as FieldReference) == field)
                return true;
        }
        return false;
    }

    /// <summary>The local an instruction loads or stores, and whether it stores it.</summary>
    private static (int Local, bool Store)? LocalIndex(Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldloc_0 => (0, false),
        Code.Ldloc_1 => (1, false),
        Code.Ldloc_2 => (2, false),
        Code.Ldloc_3 => (3, false),
        Code.Stloc_0 => (0, true),
        Code.Stloc_1 => (1, true),
        Code.Stloc_2 => (2, true),
        Code.Stloc_3 => (3, true),
        Code.Ldloc or Code.Ldloc_S or Code.Ldloca or Code.Ldloca_S => (((VariableDefinition)instruction.Operand).Index, false),
        Code.Stloc or Code.Stloc_S => (((VariableDefinition)instruction.Operand).Index, true),
        _ => null,
    };

    private static FieldDefinition? Resolve(FieldReference? field)
    {
        if (field is null)
            return null;
        try
        {
            return field.Resolve();
        }
        catch (Exception e) when (e is AssemblyResolutionException or ResolutionException)
        {
            return null;
        }
    }
}
