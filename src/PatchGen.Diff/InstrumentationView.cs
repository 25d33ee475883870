using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Cecil.Methods;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Sees through patch sites: turns a build rewritten by <c>patchgen instrument</c> back, in memory,
/// into the build it was made from, so that the instrumented production build can be diffed against
/// a plain fix build and only the real changes show. The rewrite undone here is the one specified in
/// docs/patch-sites.md (format 3): a method's site is the slot its first instruction loads; a test
/// checks that diffing the instrumented base gives exactly the diff of the original base on every case
/// of testdata/cases.
/// </summary>
internal static class InstrumentationView
{
    /// <summary>
    /// Restores every instrumented method body and drops what the instrumenter added; returns which methods called the
    /// inline clones it removed (a patch of a cloned method replaces them too).
    /// </summary>
    public static InlineCloneCallers Restore(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes().ToList())
        {
            foreach (var method in type.Methods)
            {
                if (FindSite(method) is { } site)
                {
                    RestoreBody(method, site);
                    if (OutlinedInto(method) is { } clone)
                        RestoreOutlinedBody(method, clone);
                }
            }
        }
        var callers = RemoveInlineClones(module);
        var sites = module.Types.FirstOrDefault(t => t.Name == PatchSiteFormat.SitesTypeName && t.Namespace.Length == 0);
        if (sites is not null)
            module.Types.Remove(sites);
        RestoreModuleInitializer(module);
        return callers;
    }

    /// <summary>
    /// Undoes the inline clones of site format 4 (docs/patch-sites.md, "Inline clones"): every call of a clone goes to
    /// its original again, and the clones are removed. Costs one pass over method names when there are none.
    /// </summary>
    private static InlineCloneCallers RemoveInlineClones(ModuleDefinition module)
    {
        var originals = new Dictionary<MethodDefinition, MethodDefinition>();
        foreach (var type in module.GetTypes())
        {
            foreach (var clone in type.Methods.Where(InlineClone.Is))
                originals.Add(clone, OriginalOf(clone));
        }
        if (originals.Count == 0)
            return InlineCloneCallers.None;
        var calls = new List<(MethodDefinition Original, MethodDefinition Caller)>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is MethodReference target
                        && target.DeclaringType.GetElementType() is TypeDefinition { Module: var owner } && owner == module
                        && target.Resolve() is { } resolved && originals.TryGetValue(resolved, out var original))
                    {
                        instruction.Operand = InlineClone.Retarget(target, original);
                        if (!originals.ContainsKey(method))
                            calls.Add((original, method));
                    }
                }
            }
        }
        foreach (var (clone, _) in originals)
            clone.DeclaringType.Methods.Remove(clone);
        return InlineCloneCallers.Build(originals.Values, calls);
    }

    /// <summary>
    /// The clone an outlined method's restored body forwards to (site format 5, docs/patch-sites.md "Outlined bodies"):
    /// <c>ldarg.0 ... ldarg.n; call &lt;PatchGen&gt;c$M; ret</c>, every argument in order, calling its own clone; otherwise
    /// null. A small method whose own body is that call (a recursion that never ends) reads the same, and moving its
    /// clone's body back changes nothing: the clone has that body too.
    /// </summary>
    private static MethodDefinition? OutlinedInto(MethodDefinition method)
    {
        var instructions = method.Body.Instructions;
        int arguments = method.Parameters.Count + (method.HasThis ? 1 : 0);
        if (method.IsConstructor || instructions.Count != arguments + 2 || instructions[^1].OpCode.Code != Code.Ret
            || instructions[^2].OpCode.Code != Code.Call || instructions[^2].Operand is not MethodDefinition clone
            || clone.DeclaringType != method.DeclaringType || !InlineClone.Is(clone) || clone.IsConstructor)
            return null;
        for (int i = 0; i < arguments; i++)
        {
            if (ArgumentOf(instructions[i], method) != i)
                return null;
        }
        return OriginalOf(clone) == method ? clone : null;
    }

    /// <summary>The argument number an <c>ldarg</c> loads (<c>this</c> is 0), or -1.</summary>
    private static int ArgumentOf(Instruction instruction, MethodDefinition method) => instruction.OpCode.Code switch
    {
        Code.Ldarg_0 => 0,
        Code.Ldarg_1 => 1,
        Code.Ldarg_2 => 2,
        Code.Ldarg_3 => 3,
        Code.Ldarg or Code.Ldarg_S when instruction.Operand is ParameterDefinition p
            => p == method.Body.ThisParameter ? 0 : p.Index + (method.HasThis ? 1 : 0),
        _ => -1,
    };

    /// <summary>
    /// Gives an outlined method its body back from its clone, symbols included, so that the view is the plain build's:
    /// the clone, now unused, goes with the other clones. Offsets are recomputed, not the opcodes: the clone's are the
    /// compiler's.
    /// </summary>
    private static void RestoreOutlinedBody(MethodDefinition method, MethodDefinition clone)
    {
        var body = method.Body;
        body.Instructions.Clear();
        body.Variables.Clear();
        body.ExceptionHandlers.Clear();
        MethodBodyCopy.Copy(clone, method, moveDebugInformation: true);
        int offset = 0;
        foreach (var instruction in body.Instructions)
        {
            instruction.Offset = offset;
            offset += instruction.GetSize();
        }
    }

    /// <summary>The method a clone was made from: same type, original name, same parameters and generic arity.</summary>
    private static MethodDefinition OriginalOf(MethodDefinition clone)
    {
        string name = InlineClone.OriginalName(clone.Name);
        return clone.DeclaringType.Methods.Single(m => m != clone && m.Name == name && !InlineClone.Is(m)
            && m.IsStatic == clone.IsStatic
            && m.GenericParameters.Count == clone.GenericParameters.Count
            && m.ReturnType.FullName == (clone.IsConstructor ? m.ReturnType.FullName : clone.ReturnType.FullName)
            && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(clone.Parameters.Select(p => p.ParameterType.FullName)));
    }

    /// <summary>Undoes <c>call PatchSites::Observe()</c> at the start of the module initializer, and the initializer if it held nothing else.</summary>
    private static void RestoreModuleInitializer(ModuleDefinition module)
    {
        var moduleType = module.Types.FirstOrDefault(t => t.Name == "<Module>");
        var initializer = moduleType?.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && m.HasBody);
        if (initializer is null)
            return;
        var instructions = initializer.Body.Instructions;
        if (instructions.Count == 0 || instructions[0].OpCode.Code != Code.Call
            || instructions[0].Operand is not MethodReference { Name: PatchSiteFormat.ObserveMethodName } observe
            || observe.DeclaringType.FullName != PatchSiteFormat.PatchSitesTypeFullName)
            return;
        instructions.RemoveAt(0);
        if (instructions.Count == 1 && instructions[0].OpCode.Code == Code.Ret && initializer.Body.Variables.Count == 0)
            moduleType!.Methods.Remove(initializer);
        else
            initializer.Body.OptimizeMacros();
    }

    /// <summary>The site number of every instrumented method.</summary>
    public static Dictionary<MethodDefinition, int> ReadSites(ModuleDefinition module)
    {
        var sites = new Dictionary<MethodDefinition, int>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                if (FindSite(method) is { } site)
                    sites[method] = site.Number;
            }
        }
        return sites;
    }

    private readonly record struct Site(int Number, bool AggressiveInliningAdded, Instruction Dispatch);

    /// <summary>
    /// <c>ldsfld &lt;PatchGen&gt;Sites::sN; brtrue DISPATCH</c> at the start of the body, or null. The
    /// operands are looked at without resolving anything, so this costs no metadata lookups.
    /// </summary>
    private static Site? FindSite(MethodDefinition method)
    {
        if (!method.HasBody)
            return null;
        var instructions = method.Body.Instructions;
        if (instructions.Count < 2 || instructions[0].OpCode.Code != Code.Ldsfld || instructions[0].Operand is not FieldReference slot)
            return null;
        if (slot.DeclaringType.Name != PatchSiteFormat.SitesTypeName || slot.DeclaringType.Namespace.Length != 0)
            return null;
        int number = PatchSiteFormat.SiteOfSlot(slot.Name);
        if (number < 0 || instructions[1].OpCode.Code is not (Code.Brtrue or Code.Brtrue_S) || instructions[1].Operand is not Instruction dispatch)
            return null;
        return new Site(number, slot.Name[0] == PatchSiteFormat.AggressiveSlotPrefix, dispatch);
    }

    /// <summary>Undoes: ldsfld sN; brtrue DISPATCH; BODY; DISPATCH: ldc.i4 N; ldarg...; call d&lt;k&gt;; ret.</summary>
    private static void RestoreBody(MethodDefinition method, Site site)
    {
        var body = method.Body;
        // Long forms with explicit operands make the shape findable and the offsets recomputable.
        body.SimplifyMacros();
        var instructions = body.Instructions;
        int dispatchAt = instructions.IndexOf(site.Dispatch);
        if (dispatchAt < 2)
            return;
        foreach (var handler in body.ExceptionHandlers)
        {
            // Handlers that ran to the end of the method end where the dispatch path begins: "the end" again.
            if (handler.TryEnd == site.Dispatch)
                handler.TryEnd = null;
            if (handler.HandlerEnd == site.Dispatch)
                handler.HandlerEnd = null;
        }
        while (instructions.Count > dispatchAt)
            instructions.RemoveAt(instructions.Count - 1);
        instructions.RemoveAt(1);
        instructions.RemoveAt(0);
        if (site.AggressiveInliningAdded)
            method.ImplAttributes &= ~MethodImplAttributes.AggressiveInlining;
        body.OptimizeMacros(); // also recomputes the offsets the renderer looks instructions up by
    }
}
