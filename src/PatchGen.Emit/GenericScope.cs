using Mono.Cecil;

namespace PatchGen.Emit;

/// <summary>
/// Where the generic parameters of copied code go. In IL, <c>!n</c> is the n-th parameter of the
/// enclosing type and <c>!!n</c> the n-th of the enclosing method. A copy keeps that shape when it
/// stays a member of a copied type, but a method that becomes static in a holder (a replacement of
/// <c>Box&lt;T&gt;.Get&lt;U&gt;</c> is <c>Get&lt;T, U&gt;</c>) takes the type's parameters first: its
/// <c>!0</c> is the copy's <c>!!0</c> and its <c>!!0</c> the copy's <c>!!1</c>.
/// </summary>
internal sealed class GenericScope
{
    private readonly IGenericParameterProvider? _typeTarget;
    private readonly int _typeOffset;
    private readonly IGenericParameterProvider? _methodTarget;
    private readonly int _methodOffset;
    private readonly ModuleDefinition? _calleeModule;
    private TypeReference? _calleeType;
    private MethodReference? _calleeMethod;

    private GenericScope(IGenericParameterProvider? typeTarget, int typeOffset, IGenericParameterProvider? methodTarget, int methodOffset, ModuleDefinition? calleeModule)
    {
        _typeTarget = typeTarget;
        _typeOffset = typeOffset;
        _methodTarget = methodTarget;
        _methodOffset = methodOffset;
        _calleeModule = calleeModule;
    }

    /// <summary>Inside a member of a copied type: parameters stay where they are.</summary>
    public static GenericScope Member(TypeDefinition type, MethodDefinition? method) => new(type, 0, method, 0, null);

    /// <summary>Inside a method that became static: the type's parameters come first.</summary>
    public static GenericScope Flattened(MethodDefinition method, int typeArity) => new(method, 0, method, typeArity, null);

    /// <summary>
    /// The signature of a referenced member: there <c>!n</c> and <c>!!n</c> are the callee's own
    /// parameters and are written by position, unchanged.
    /// </summary>
    public static GenericScope Callee(ModuleDefinition module) => new(null, 0, null, 0, module);

    /// <summary>
    /// <c>!n</c> or <c>!!n</c> with no particular owner: Cecil writes a generic parameter by its
    /// position and its owner's kind, and makes them only through an owner, so stand-in owners hold them.
    /// </summary>
    private GenericParameter Positional(int position, bool ofType)
    {
        IGenericParameterProvider owner = ofType
            ? _calleeType ??= new TypeReference("", "<callee>", _calleeModule, null)
            : _calleeMethod ??= new MethodReference("<callee>", _calleeModule!.TypeSystem.Void);
        while (owner.GenericParameters.Count <= position)
            owner.GenericParameters.Add(new GenericParameter(owner));
        return owner.GenericParameters[position];
    }

    public TypeReference Map(GenericParameter parameter)
    {
        bool ofType = parameter.Type == GenericParameterType.Type;
        if (_calleeModule is not null)
            return Positional(parameter.Position, ofType);
        var target = ofType ? _typeTarget : _methodTarget;
        int index = parameter.Position + (ofType ? _typeOffset : _methodOffset);
        if (target is null || index >= target.GenericParameters.Count)
            throw new InvalidOperationException($"generic parameter {(ofType ? "!" : "!!")}{parameter.Position} has no place in the patch");
        return target.GenericParameters[index];
    }
}
