using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Site format 4's inline clones (docs/patch-sites.md, "Inline clones"): every small method C that gets a site, that
/// a call naming it always runs (not virtual, or virtual but final: an interface implementation or a sealed override)
/// and that a method with a site calls directly also gets a site-less clone C' with the original body (exception
/// handlers included), and every direct <c>call</c>/<c>callvirt</c>/<c>newobj</c>
/// of C in a method with a site (or in a clone) is retargeted to C', so that the copies the JIT inlines into callers
/// carry no check. C keeps its site for reflection, delegates, virtual calls and other assemblies. Sound because the
/// emitter replaces, with a changed C, every method with a site that reaches C' through direct calls (the diff
/// engine's InlineCloneCallers): C' then runs only inside functions of the patch, which the consistency rule covers.
/// A method without a site (a static constructor) keeps calling C: no patch could replace it, so it must not hold an
/// inlined copy. Site format 5's outlined bodies are clones too: a large method's body moves into its clone, which
/// only the method's own forwarder calls (docs/patch-sites.md, "Outlined bodies"), unless the measurement option
/// InstrumentOptions.OutlineRetargetMaxCallers retargets the direct calls of a method whose patch would stay small.
/// </summary>
internal sealed class InlineClones
{
    private readonly Dictionary<MethodDefinition, MethodDefinition> _cloneOf = [];
    private readonly HashSet<MethodDefinition> _clones = [];
    private readonly HashSet<MethodDefinition> _outlined = [];
    // The outlined methods whose direct calls name their moved bodies (InstrumentOptions.OutlineRetargetMaxCallers).
    private readonly HashSet<MethodDefinition> _outlinedRetargeted = [];
    private readonly TypeReference _marker;

    private InlineClones(TypeReference marker) => _marker = marker;

    public int Count => _cloneOf.Count;

    /// <summary>How many of the clones are outlined bodies (site format 5).</summary>
    public int OutlinedCount => _outlined.Count;

    public bool IsClone(MethodDefinition method) => _clones.Contains(method);

    /// <summary>Whether <paramref name="method"/>'s body moved into its clone (site format 5).</summary>
    public bool IsOutlined(MethodDefinition method) => _outlined.Contains(method);

    /// <summary>
    /// Clones the candidates among <paramref name="types"/>' methods that a method with a site calls directly (no other
    /// call is retargeted, so a clone nothing calls would only make the file larger); call before any body is rewritten.
    /// </summary>
    public static InlineClones Create(IReadOnlyList<TypeDefinition> types, TypeReference marker, InstrumentOptions options)
    {
        var clones = new InlineClones(marker);
        // Read from the original bodies, before any moves into a clone.
        var callers = SitedDirectCallers(types);
        // In metadata order, so that the output is deterministic.
        var candidates = types.Where(t => !t.IsInterface).SelectMany(t => t.Methods).Where(m => IsCandidate(m, options) && callers.ContainsKey(m)).ToList();
        foreach (var method in candidates)
        {
            var clone = clones.Clone(method, moveDebugInformation: false);
            clones._cloneOf.Add(method, clone);
            clones._clones.Add(clone);
        }
        if (options.OutlineBodiesOver > 0)
        {
            var outlined = types.Where(t => !t.IsInterface && !t.HasGenericParameters).SelectMany(t => t.Methods).Where(m => ShouldOutline(m, options)).ToList();
            var cloned = candidates.Concat(outlined).ToHashSet();
            foreach (var method in outlined)
            {
                if (RetargetsCallsOf(method, callers, cloned, options))
                    clones._outlinedRetargeted.Add(method);
            }
            foreach (var method in outlined)
            {
                // Symbols are read lazily by IL offset: read them while they still describe this body; they move
                // with it, so that stepping, breakpoints and an exception's line numbers are the moved body's.
                _ = method.DebugInformation.HasSequencePoints;
                var clone = clones.Clone(method, moveDebugInformation: true);
                clones._cloneOf.Add(method, clone);
                clones._clones.Add(clone);
                Forward(method, clone);
                clones._outlined.Add(method);
            }
        }
        return clones;
    }

    private static bool ShouldOutline(MethodDefinition method, InstrumentOptions options)
        => SiteEligibility.WhyNot(method) is null
            && method.Body.CodeSize > Math.Max(options.OutlineBodiesOver, options.InlineCloneMaxCodeSize)
            && !method.IsConstructor && !method.HasGenericParameters
            && (options.OutlineVirtualMethods || !method.IsVirtual)
            && !IsEntryPoint(method)
            && (method.ImplAttributes & (MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization)) == 0
            && method.Body.Instructions.Any(i => i.OpCode.Code == Code.Ret);

    /// <summary>
    /// The body of <paramref name="method"/> becomes <c>ldarg.0 ... ldarg.n; call clone; ret</c>, without symbols (they
    /// moved with the body): a debugger steps through it into the clone, as through any method without lines.
    /// </summary>
    private static void Forward(MethodDefinition method, MethodDefinition clone)
    {
        var body = method.Body;
        body.Instructions.Clear();
        body.ExceptionHandlers.Clear();
        body.Variables.Clear();
        body.InitLocals = false;
        var il = body.GetILProcessor();
        if (method.HasThis)
            il.Emit(OpCodes.Ldarg, body.ThisParameter);
        foreach (var parameter in method.Parameters)
            il.Emit(OpCodes.Ldarg, parameter);
        il.Emit(OpCodes.Call, clone);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// Whether direct calls of the outlined <paramref name="method"/> name its moved body: when a patch of it would then
    /// replace at most <see cref="InstrumentOptions.OutlineRetargetMaxCallers"/> functions besides it (docs/patch-sites.md,
    /// "Outlined bodies"): the methods with a site that call it directly, and, where such a caller has a clone of its
    /// own (<paramref name="cloned"/>: a small method's, or an outlined body), that clone's callers, and so on, as the
    /// diff engine's InlineCloneCallers will list them. Counted as if every outlined method's calls were retargeted, so
    /// the bound holds whatever is decided for the others; its own recursive calls are its clone's, not callers.
    /// </summary>
    private static bool RetargetsCallsOf(MethodDefinition method, Dictionary<MethodDefinition, HashSet<MethodDefinition>> callers, HashSet<MethodDefinition> cloned, InstrumentOptions options)
    {
        if (options.OutlineRetargetMaxCallers <= 0)
            return false;
        var replaced = new HashSet<MethodDefinition>();
        var reached = new HashSet<MethodDefinition> { method };
        var pending = new Stack<MethodDefinition>();
        pending.Push(method);
        while (pending.Count > 0)
        {
            foreach (var caller in callers.GetValueOrDefault(pending.Pop()) ?? [])
            {
                if (caller != method && replaced.Add(caller) && replaced.Count > options.OutlineRetargetMaxCallers)
                    return false;
                if (cloned.Contains(caller) && reached.Add(caller))
                    pending.Push(caller);
            }
        }
        return true;
    }

    /// <summary>
    /// For each method of <paramref name="types"/> that a <c>call</c>, <c>callvirt</c> or <c>newobj</c> in a method that
    /// gets a site names, those methods (the entry point aside: its calls are never retargeted). A clone's calls are its
    /// original's, so these are also the methods a clone would call.
    /// </summary>
    private static Dictionary<MethodDefinition, HashSet<MethodDefinition>> SitedDirectCallers(IEnumerable<TypeDefinition> types)
    {
        var callers = new Dictionary<MethodDefinition, HashSet<MethodDefinition>>();
        foreach (var method in types.SelectMany(t => t.Methods).Where(m => SiteEligibility.WhyNot(m) is null && !IsEntryPoint(m)))
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (TargetInModule(instruction, method.Module) is { } target)
                {
                    if (!callers.TryGetValue(target, out var those))
                        callers[target] = those = [];
                    those.Add(method);
                }
            }
        }
        return callers;
    }

    /// <summary>The method a direct call, <c>callvirt</c> or <c>newobj</c> names, when it is defined in <paramref name="module"/>.</summary>
    private static MethodDefinition? TargetInModule(Instruction instruction, ModuleDefinition module)
        => instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj
            && instruction.Operand is MethodReference target
            && target.DeclaringType.GetElementType() is TypeDefinition { Module: var m } && m == module
                ? target.Resolve()
                : null;

    private static bool IsCandidate(MethodDefinition method, InstrumentOptions options)
        => SiteEligibility.WhyNot(method) is null
            && IsDirectlyCalledBody(method, options.InlineCloneFinalMethods)
            && (!method.IsConstructor || options.InlineCloneConstructors)
            && method.Body.CodeSize <= options.InlineCloneMaxCodeSize
            && (options.InlineCloneExceptionHandlers || !method.Body.HasExceptionHandlers)
            && (method.ImplAttributes & (MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization)) == 0
            && method.Body.Instructions.Any(i => i.OpCode.Code == Code.Ret);

    /// <summary>
    /// Whether a <c>call</c> or <c>callvirt</c> naming <paramref name="method"/> always runs its own body, so that naming
    /// its clone instead changes nothing but the site: a non-virtual method, or a virtual one that is final (an interface
    /// method the C# code declared non-virtual, a sealed override), since no type can override a final slot. A final
    /// method with an explicit <c>.override</c> (an explicit interface implementation) is left out: C# cannot name it,
    /// so nothing calls it directly. Other virtual methods are reached through their slot, which a clone cannot replace.
    /// </summary>
    private static bool IsDirectlyCalledBody(MethodDefinition method, bool finalMethods)
        => !method.IsVirtual || (finalMethods && method.IsFinal && !method.HasOverrides && !method.IsAbstract);

    /// <summary>
    /// C' beside C: a method is named <c>&lt;PatchGen&gt;c$Name</c>; a constructor must stay <c>.ctor</c> and differs
    /// by a <c>modopt</c> on its return type instead (a distinct signature, as C++/CLI overloads on modifiers).
    /// Never public, so reflection over public members sees one method as before; never virtual (a clone of a final
    /// method is an ordinary instance method: it takes no slot and implements no interface).
    /// </summary>
    private MethodDefinition Clone(MethodDefinition method, bool moveDebugInformation)
    {
        const MethodAttributes Virtuality = MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.NewSlot
            | MethodAttributes.CheckAccessOnOverride | MethodAttributes.Abstract;
        var access = method.Attributes & MethodAttributes.MemberAccessMask;
        var attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask & ~Virtuality)
            | (access == MethodAttributes.Private ? MethodAttributes.Private : MethodAttributes.Assembly);
        var clone = new MethodDefinition(
            method.IsConstructor ? method.Name : PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + method.Name,
            attributes,
            method.IsConstructor ? new OptionalModifierType(_marker, method.ReturnType) : method.ReturnType)
        {
            ImplAttributes = method.ImplAttributes,
            HasThis = method.HasThis,
            ExplicitThis = method.ExplicitThis,
            CallingConvention = method.CallingConvention,
        };
        foreach (var gp in method.GenericParameters)
        {
            var copy = new GenericParameter(gp.Name, clone) { Attributes = gp.Attributes };
            foreach (var constraint in gp.Constraints)
                copy.Constraints.Add(new GenericParameterConstraint(constraint.ConstraintType));
            clone.GenericParameters.Add(copy);
        }
        // An inline clone has no symbols and only IL calls it, so its parameters go unnamed and without flags: Cecil
        // writes no Param row for them (8 bytes each once the string heap passes 64 KB; 1,598 in Mono.Cecil's 1,638
        // clones). An outlined body keeps its names and flags: a debugger shows its arguments while stepping through it.
        foreach (var p in method.Parameters)
            clone.Parameters.Add(moveDebugInformation ? new ParameterDefinition(p.Name, p.Attributes, p.ParameterType) : new ParameterDefinition(p.ParameterType));
        // Declared before its body is built: the body's `this` parameter takes its type from the declaring type.
        method.DeclaringType.Methods.Add(clone);

        PatchGen.Cecil.Methods.MethodBodyCopy.Copy(method, clone, moveDebugInformation);
        return clone;
    }

    /// <summary>
    /// The assembly's entry point keeps calling the originals: it runs for the life of the process (an app's
    /// <c>&lt;Main&gt;$</c> sits in <c>app.Run()</c>), so a patch that had to replace it, because it runs an inlined copy of a
    /// changed method, could only ever complete by force. Through the sites, its calls cost one check each, once.
    /// </summary>
    private static bool IsEntryPoint(MethodDefinition method) => method.Module.EntryPoint == method;

    /// <summary>Points every direct call of a cloned method, in the methods with a site (but the entry point) and in the clones, at its clone.</summary>
    public int Retarget(IReadOnlyCollection<MethodDefinition> sited)
    {
        int retargeted = 0;
        foreach (var method in sited.Where(m => !IsEntryPoint(m)).Concat(_clones))
        {
            var module = method.Module;
            foreach (var instruction in method.Body.Instructions)
            {
                // An outlined method's calls keep naming it unless its few callers are retargeted; a callvirt of an
                // outlined virtual method always does (it must dispatch).
                if (TargetInModule(instruction, module) is not { } resolved || !_cloneOf.TryGetValue(resolved, out var clone)
                    || (_outlined.Contains(resolved) && (!_outlinedRetargeted.Contains(resolved) || (instruction.OpCode.Code == Code.Callvirt && resolved.IsVirtual))))
                    continue;
                instruction.Operand = PatchGen.Cecil.Methods.InlineClone.Retarget((MethodReference)instruction.Operand, clone);
                retargeted++;
            }
        }
        return retargeted;
    }
}
