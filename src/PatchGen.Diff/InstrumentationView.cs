using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace PatchGen.Diff;

/// <summary>
/// Sees through patch sites: turns a build rewritten by <c>patchgen instrument</c> back, in memory,
/// into the build it was made from, so that the instrumented production build can be diffed against
/// a plain fix build and only the real changes show. The rewrite undone here is the one specified in
/// docs/patch-sites.md (format version 1); a test checks that diffing the instrumented base gives
/// exactly the diff of the original base on every case of testdata/cases.
/// </summary>
internal static class InstrumentationView
{
    private const string SitesTypeName = "<PatchGen>Sites";
    private const string PatchSiteAttribute = "PatchGen.Runtime.PatchSiteAttribute";
    private const string ThreadPatchState = "PatchGen.Runtime.Instrumentation.ThreadPatchState";

    /// <summary>Restores every instrumented method body and drops what the instrumenter added.</summary>
    public static void Restore(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes().ToList())
        {
            foreach (var method in type.Methods)
            {
                int attribute = IndexOfSiteAttribute(method);
                if (attribute < 0)
                    continue;
                method.CustomAttributes.RemoveAt(attribute);
                if (method.HasBody)
                    RestoreBody(method.Body);
            }
        }
        var sites = module.Types.FirstOrDefault(t => t.Name == SitesTypeName && t.Namespace.Length == 0);
        if (sites is not null)
            module.Types.Remove(sites);
    }

    /// <summary>The site number each instrumented method carries in its PatchSiteAttribute.</summary>
    public static Dictionary<MethodDefinition, int> ReadSites(ModuleDefinition module)
    {
        var sites = new Dictionary<MethodDefinition, int>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                int attribute = IndexOfSiteAttribute(method);
                if (attribute >= 0 && SiteOf(method.CustomAttributes[attribute]) is int site)
                    sites[method] = site;
            }
        }
        return sites;
    }

    /// <summary>
    /// The site number, read from the attribute's blob (prolog 0x0001, then the int32): decoding the
    /// arguments through Cecil would also resolve the System.Type argument, which on a large assembly
    /// costs seconds (41,050 sites: 3.5 s against 10 ms).
    /// </summary>
    private static int? SiteOf(CustomAttribute attribute)
    {
        var blob = attribute.GetBlob();
        if (blob is null || blob.Length < 6 || blob[0] != 1 || blob[1] != 0)
            return null;
        return BitConverter.ToInt32(blob, 2);
    }

    private static int IndexOfSiteAttribute(MethodDefinition method)
    {
        for (int i = 0; i < method.CustomAttributes.Count; i++)
        {
            if (method.CustomAttributes[i].AttributeType.FullName == PatchSiteAttribute)
                return i;
        }
        return -1;
    }

    private static void RestoreBody(MethodBody body)
    {
        // Long forms with explicit operands (stloc V, not stloc.1) make the patterns below findable.
        body.SimplifyMacros();
        var instructions = body.Instructions;
        bool tracked = instructions.Count > 7
            && instructions[3].OpCode.Code == Code.Call
            && instructions[3].Operand is MethodReference { Name: "Enter" } enter
            && enter.DeclaringType.FullName == ThreadPatchState;
        if (tracked)
            RestoreTracked(body);
        else
            RestoreLeaf(body);
        body.OptimizeMacros(); // also recomputes the offsets the renderer looks instructions up by
    }

    /// <summary>Undoes: ldsfld s; brtrue DISPATCH; BODY; DISPATCH...</summary>
    private static void RestoreLeaf(MethodBody body)
    {
        var instructions = body.Instructions;
        if (instructions.Count < 2 || instructions[1].OpCode.Code != Code.Brtrue || instructions[1].Operand is not Instruction dispatch)
            return;
        int dispatchAt = instructions.IndexOf(dispatch);
        CutTail(body, dispatchAt, dispatch);
        instructions.RemoveAt(1);
        instructions.RemoveAt(0);
    }

    /// <summary>
    /// Undoes: Enter; stloc ss; .try { volatile. ldsfld s; brtrue DISPATCH; BODY (ret became
    /// stloc result; leave RET); DISPATCH; POP_BODY } finally { Exit } RET: ldloc result; ret.
    /// </summary>
    private static void RestoreTracked(MethodBody body)
    {
        var instructions = body.Instructions;
        if (instructions[7].Operand is not Instruction dispatch || instructions[4].Operand is not VariableDefinition threadState)
            return;
        var handler = body.ExceptionHandlers.LastOrDefault(h => h.HandlerType == ExceptionHandlerType.Finally && h.TryStart == instructions[5]);
        if (handler is null)
            return;
        var ret = handler.HandlerEnd;
        var result = ret?.OpCode.Code == Code.Ldloc ? ret.Operand as VariableDefinition : null;
        body.ExceptionHandlers.Remove(handler);

        int dispatchAt = instructions.IndexOf(dispatch);
        var leaves = new List<Instruction>();
        for (int i = 8; i < dispatchAt; i++)
        {
            var instruction = instructions[i];
            if (instruction.OpCode.Code != Code.Leave || instruction.Operand != ret)
                continue;
            var previous = instructions[i - 1];
            if (result is not null && previous.OpCode.Code == Code.Stloc && previous.Operand == result)
            {
                // The original ret became this stloc (branches to it still point at it); the leave was added.
                previous.OpCode = OpCodes.Ret;
                previous.Operand = null;
                leaves.Add(instruction);
            }
            else if (result is null)
            {
                instruction.OpCode = OpCodes.Ret;
                instruction.Operand = null;
            }
        }
        CutTail(body, dispatchAt, dispatch);
        foreach (var leave in leaves)
            instructions.Remove(leave);
        for (int i = 0; i < 8; i++)
            instructions.RemoveAt(0);
        if (result is not null)
            body.Variables.Remove(result);
        body.Variables.Remove(threadState);
    }

    /// <summary>Removes the dispatch path from <paramref name="from"/> on; handlers that ended there end at the end of the body again.</summary>
    private static void CutTail(MethodBody body, int from, Instruction dispatch)
    {
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.TryEnd == dispatch)
                handler.TryEnd = null;
            if (handler.HandlerEnd == dispatch)
                handler.HandlerEnd = null;
        }
        var instructions = body.Instructions;
        while (instructions.Count > from)
            instructions.RemoveAt(instructions.Count - 1);
    }
}
