using Mono.Cecil;

namespace PatchGen.Cecil.TypeReferences;

/// <summary>
/// The one dispatch over the shapes a Cecil type reference takes (after ILLink's
/// <c>TypeReferenceWalker</c>): a visitor with one method per shape, each of which falls back to
/// <see cref="DefaultVisit"/>. Every function over type references (keys, documentation IDs,
/// canonical names, rewriting into another module) derives from it and states only the shapes it
/// treats its own way, instead of each repeating a switch that can miss a shape.
/// </summary>
/// <typeparam name="TState">What a visit carries along (a builder to append to, a generic scope).</typeparam>
/// <typeparam name="TResult">What a visit gives back.</typeparam>
internal abstract class TypeReferenceWalker<TState, TResult>
{
    public TResult Walk(TypeReference type, TState state) => type switch
    {
        GenericParameter parameter => GenericParameter(parameter, state),
        GenericInstanceType instance => GenericInstance(instance, state),
        ArrayType array => Array(array, state),
        ByReferenceType byReference => ByReference(byReference, state),
        PointerType pointer => Pointer(pointer, state),
        PinnedType pinned => Pinned(pinned, state),
        SentinelType sentinel => Sentinel(sentinel, state),
        RequiredModifierType required => RequiredModifier(required, state),
        OptionalModifierType optional => OptionalModifier(optional, state),
        FunctionPointerType function => FunctionPointer(function, state),
        // A type defined or referenced by name, nested or not. Cecil has no other type specification.
        _ => Named(type, state),
    };

    /// <summary>What a shape the walker does not treat on its own gives.</summary>
    protected abstract TResult DefaultVisit(TypeReference type, TState state);

    /// <summary><c>!n</c> (of a type) or <c>!!n</c> (of a method).</summary>
    protected virtual TResult GenericParameter(GenericParameter parameter, TState state) => DefaultVisit(parameter, state);

    /// <summary>A generic type with its arguments; a nested type's instance carries the arguments of every level.</summary>
    protected virtual TResult GenericInstance(GenericInstanceType instance, TState state) => DefaultVisit(instance, state);

    /// <summary>A vector (<c>T[]</c>) or an array with a rank and, per dimension, optional bounds.</summary>
    protected virtual TResult Array(ArrayType array, TState state) => DefaultVisit(array, state);

    protected virtual TResult ByReference(ByReferenceType byReference, TState state) => DefaultVisit(byReference, state);

    protected virtual TResult Pointer(PointerType pointer, TState state) => DefaultVisit(pointer, state);

    /// <summary>A pinned local's type.</summary>
    protected virtual TResult Pinned(PinnedType pinned, TState state) => DefaultVisit(pinned, state);

    /// <summary>The first variable argument of a varargs call site.</summary>
    protected virtual TResult Sentinel(SentinelType sentinel, TState state) => DefaultVisit(sentinel, state);

    /// <summary><c>modreq(M) T</c>: a modifier a caller must understand (<c>volatile</c>, <c>in</c>, <c>init</c>).</summary>
    protected virtual TResult RequiredModifier(RequiredModifierType required, TState state) => DefaultVisit(required, state);

    /// <summary><c>modopt(M) T</c>: a modifier a caller may ignore (unmanaged calling conventions).</summary>
    protected virtual TResult OptionalModifier(OptionalModifierType optional, TState state) => DefaultVisit(optional, state);

    protected virtual TResult FunctionPointer(FunctionPointerType function, TState state) => DefaultVisit(function, state);

    /// <summary>A type by name: a definition or a reference, top-level or nested.</summary>
    protected virtual TResult Named(TypeReference type, TState state) => DefaultVisit(type, state);
}
