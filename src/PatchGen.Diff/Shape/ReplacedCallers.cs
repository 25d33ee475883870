using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>
/// The diff engine's half of the extended model's signature rule (<c>Methods/SignatureHelperRule</c>
/// of PatchGen.Rules): whether every use of a base method is a call from code the fix replaces. It
/// scans the base's IL once per question: a call (<c>call</c>, <c>callvirt</c>, <c>newobj</c>) is a
/// use by the method it is in, or, in a lambda, local function or state machine, by the user method
/// whose closure holds it; each such method must render differently in the fix (it is replaced) or be
/// gone from it (it is left behind with the old method). Taking the method's address (<c>ldftn</c>,
/// <c>ldvirtftn</c>, <c>ldtoken</c>: a delegate made before the patch keeps calling the old method),
/// a string equal to its name (reflection, <c>nameof</c>), or, for an internal method, an
/// <c>InternalsVisibleTo</c> of the base, are uses the patch cannot replace.
/// </summary>
internal sealed class ReplacedCallers
{
    private readonly DiffContext _context;
    private Dictionary<string, MethodDefinition>? _newMethods;

    public ReplacedCallers(DiffContext context)
    {
        _context = context;
    }

    public bool OnlyReplacedCodeUses(MethodDefinition old, bool assemblyWide)
    {
        if (assemblyWide && _context.Base.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == WellKnownAttributes.InternalsVisibleTo))
            return false;
        var callers = new HashSet<MethodDefinition>();
        foreach (var type in _context.Base.Module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                if (!method.HasBody)
                    continue;
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is string text && text == old.Name)
                        return false;
                    if (instruction.Operand is not MethodReference reference || !Refers(reference, old))
                        continue;
                    if (instruction.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj))
                        return false;
                    if (method != old)
                        callers.Add(method);
                }
            }
        }
        return callers.All(IsReplaced);
    }

    private static bool Refers(MethodReference reference, MethodDefinition old)
    {
        if (reference.Name != old.Name || reference.DeclaringType.GetElementType().FullName != old.DeclaringType.FullName)
            return false;
        try
        {
            return reference.GetElementMethod().Resolve() == old;
        }
        catch (AssemblyResolutionException)
        {
            return false;
        }
    }

    /// <summary>Whether the patch replaces (or the fix removed) every user method that owns <paramref name="caller"/>.</summary>
    private bool IsReplaced(MethodDefinition caller)
    {
        var owners = GeneratedCode.IsUserMethod(caller) ? new List<MethodDefinition> { caller } : OwnersOf(caller);
        return owners.Count > 0 && owners.All(owner =>
            !NewMethods().TryGetValue(DocumentationId.ForMethod(owner), out var fixedOwner)
            || !_context.BaseRenderer.RendersSameAs(owner, _context.NewRenderer, fixedOwner));
    }

    /// <summary>
    /// The user methods whose closure holds generated <paramref name="code"/>: generated code is nested
    /// in the user type of its owner, so only that type's methods are rendered.
    /// </summary>
    private List<MethodDefinition> OwnersOf(MethodDefinition code)
    {
        var type = code.DeclaringType;
        while (type != null && !GeneratedCode.IsUserType(type))
            type = type.DeclaringType;
        var owners = new List<MethodDefinition>();
        if (type is null)
            return owners;
        foreach (var candidate in type.Methods.Where(m => m.HasBody && GeneratedCode.IsUserMethod(m)))
        {
            var closure = _context.BaseRenderer.Render(candidate);
            if (closure.GeneratedMethods.Contains(code) || Enclosing(code.DeclaringType).Any(closure.GeneratedTypes.Contains))
                owners.Add(candidate);
        }
        return owners;
    }

    private static IEnumerable<TypeDefinition> Enclosing(TypeDefinition type)
    {
        for (TypeDefinition? t = type; t != null; t = t.DeclaringType)
            yield return t;
    }

    private Dictionary<string, MethodDefinition> NewMethods()
    {
        if (_newMethods != null)
            return _newMethods;
        _newMethods = new Dictionary<string, MethodDefinition>(StringComparer.Ordinal);
        foreach (var type in _context.New.Module.GetTypes().Where(GeneratedCode.IsUserType))
        {
            foreach (var method in type.Methods.Where(GeneratedCode.IsUserMethod))
                _newMethods[DocumentationId.ForMethod(method)] = method;
        }
        return _newMethods;
    }
}
