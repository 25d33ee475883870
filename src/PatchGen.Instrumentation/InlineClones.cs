using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Site format 4's inline clones (docs/patch-sites.md, "Inline clones"): every small non-virtual method C that gets a
/// site also gets a site-less clone C' with the original body, and every direct <c>call</c>/<c>callvirt</c>/<c>newobj</c>
/// of C in a method with a site (or in a clone) is retargeted to C', so that the copies the JIT inlines into callers
/// carry no check. C keeps its site for reflection, delegates, virtual calls and other assemblies. Sound because the
/// emitter replaces, with a changed C, every method with a site that reaches C' through direct calls (the diff
/// engine's InlineCloneCallers): C' then runs only inside functions of the patch, which the consistency rule covers.
/// A method without a site (a static constructor) keeps calling C: no patch could replace it, so it must not hold an
/// inlined copy.
/// </summary>
internal sealed class InlineClones
{
    private readonly Dictionary<MethodDefinition, MethodDefinition> _cloneOf = [];
    private readonly HashSet<MethodDefinition> _clones = [];
    private readonly TypeReference _marker;

    private InlineClones(TypeReference marker) => _marker = marker;

    public int Count => _cloneOf.Count;

    public bool IsClone(MethodDefinition method) => _clones.Contains(method);

    /// <summary>Clones the candidates among <paramref name="types"/>' methods; call before any body is rewritten.</summary>
    public static InlineClones Create(IEnumerable<TypeDefinition> types, TypeReference marker, bool constructors, int maxCodeSize)
    {
        var clones = new InlineClones(marker);
        foreach (var type in types)
        {
            if (type.IsInterface)
                continue;
            foreach (var method in type.Methods.ToList())
            {
                if (!IsCandidate(method, constructors, maxCodeSize))
                    continue;
                var clone = clones.Clone(method);
                clones._cloneOf.Add(method, clone);
                clones._clones.Add(clone);
            }
        }
        return clones;
    }

    private static bool IsCandidate(MethodDefinition method, bool constructors, int maxCodeSize)
        => SiteEligibility.WhyNot(method) is null
            && !method.IsVirtual
            && (!method.IsConstructor || constructors)
            && method.Body.CodeSize <= maxCodeSize
            && !method.Body.HasExceptionHandlers
            && (method.ImplAttributes & (MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization)) == 0
            && method.Body.Instructions.Any(i => i.OpCode.Code == Code.Ret);

    /// <summary>
    /// C' beside C: a method is named <c>&lt;PatchGen&gt;c$Name</c>; a constructor must stay <c>.ctor</c> and differs
    /// by a <c>modopt</c> on its return type instead (a distinct signature, as C++/CLI overloads on modifiers).
    /// Never public, so reflection over public members sees one method as before.
    /// </summary>
    private MethodDefinition Clone(MethodDefinition method)
    {
        var access = method.Attributes & MethodAttributes.MemberAccessMask;
        var attributes = (method.Attributes & ~MethodAttributes.MemberAccessMask)
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
        foreach (var p in method.Parameters)
            clone.Parameters.Add(new ParameterDefinition(p.Name, p.Attributes, p.ParameterType));
        // Declared before its body is built: the body's `this` parameter takes its type from the declaring type.
        method.DeclaringType.Methods.Add(clone);

        var source = method.Body;
        var body = clone.Body;
        body.InitLocals = source.InitLocals;
        body.MaxStackSize = source.MaxStackSize;
        var variables = new Dictionary<VariableDefinition, VariableDefinition>();
        foreach (var v in source.Variables)
        {
            var copy = new VariableDefinition(v.VariableType);
            variables.Add(v, copy);
            body.Variables.Add(copy);
        }
        var instructions = new Dictionary<Instruction, Instruction>();
        foreach (var i in source.Instructions)
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
                Instruction target => instructions[target],
                Instruction[] targets => targets.Select(t => instructions[t]).ToArray(),
                VariableDefinition v => variables[v],
                ParameterDefinition p => p == source.ThisParameter ? body.ThisParameter : clone.Parameters[p.Index],
                var operand => operand,
            };
        }
        return clone;
    }

    /// <summary>Points every direct call of a cloned method, in the methods with a site and in the clones, at its clone.</summary>
    public int Retarget(IReadOnlyCollection<MethodDefinition> sited)
    {
        int retargeted = 0;
        foreach (var method in sited.Concat(_clones))
        {
            var module = method.Module;
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj)
                    || instruction.Operand is not MethodReference target
                    || target.DeclaringType.GetElementType() is not TypeDefinition { Module: var m } || m != module)
                    continue;
                var resolved = target.Resolve();
                if (resolved is null || !_cloneOf.TryGetValue(resolved, out var clone))
                    continue;
                instruction.Operand = PatchGen.Cecil.Methods.InlineClone.Retarget(target, clone);
                retargeted++;
            }
        }
        return retargeted;
    }
}
