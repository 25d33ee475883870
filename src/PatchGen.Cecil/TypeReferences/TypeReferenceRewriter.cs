using System.Diagnostics;
using Mono.Cecil;

namespace PatchGen.Cecil.TypeReferences;

/// <summary>
/// Rebuilds a type reference shape by shape around what a derived rewriter maps: its generic
/// parameters (into another generic context) and its named types (into another module). Parts are
/// rewritten in metadata order (a modifier before the type it modifies, a return type before the
/// parameters), which is the order a rewriter that copies types as it meets them copies them in.
/// </summary>
internal abstract class TypeReferenceRewriter<TState> : TypeReferenceWalker<TState, TypeReference>
{
    public TypeReference Rewrite(TypeReference type, TState state) => Walk(type, state);

    /// <summary>Every shape is rebuilt here.</summary>
    protected override TypeReference DefaultVisit(TypeReference type, TState state)
        => throw new UnreachableException("no rewriting of the type reference " + type.GetType().Name);

    protected abstract override TypeReference GenericParameter(GenericParameter parameter, TState state);

    protected abstract override TypeReference Named(TypeReference type, TState state);

    protected override TypeReference GenericInstance(GenericInstanceType instance, TState state)
    {
        var copy = new GenericInstanceType(Walk(instance.ElementType, state));
        foreach (var argument in instance.GenericArguments)
            copy.GenericArguments.Add(Walk(argument, state));
        return copy;
    }

    protected override TypeReference Array(ArrayType array, TState state)
    {
        var copy = new ArrayType(Walk(array.ElementType, state));
        if (!array.IsVector)
        {
            copy.Dimensions.Clear();
            foreach (var dimension in array.Dimensions)
                copy.Dimensions.Add(new ArrayDimension(dimension.LowerBound, dimension.UpperBound));
        }
        return copy;
    }

    protected override TypeReference ByReference(ByReferenceType byReference, TState state)
        => new ByReferenceType(Walk(byReference.ElementType, state));

    protected override TypeReference Pointer(PointerType pointer, TState state)
        => new PointerType(Walk(pointer.ElementType, state));

    protected override TypeReference Pinned(PinnedType pinned, TState state)
        => new PinnedType(Walk(pinned.ElementType, state));

    protected override TypeReference Sentinel(SentinelType sentinel, TState state)
        => new SentinelType(Walk(sentinel.ElementType, state));

    protected override TypeReference RequiredModifier(RequiredModifierType required, TState state)
        => new RequiredModifierType(Walk(required.ModifierType, state), Walk(required.ElementType, state));

    protected override TypeReference OptionalModifier(OptionalModifierType optional, TState state)
        => new OptionalModifierType(Walk(optional.ModifierType, state), Walk(optional.ElementType, state));

    protected override TypeReference FunctionPointer(FunctionPointerType function, TState state)
    {
        var copy = new FunctionPointerType
        {
            ReturnType = Walk(function.ReturnType, state),
            HasThis = function.HasThis,
            ExplicitThis = function.ExplicitThis,
            CallingConvention = function.CallingConvention,
        };
        foreach (var parameter in function.Parameters)
            copy.Parameters.Add(new ParameterDefinition(Walk(parameter.ParameterType, state)));
        return copy;
    }
}
