using System.Diagnostics;
using System.Text;
using Mono.Cecil;
using PatchGen.Cecil.Text;
using PatchGen.Diagnostics;

namespace PatchGen.Cecil.TypeReferences;

/// <summary>
/// Writes a type reference as text. By default every shape is written in the IL-like form of the
/// canonical closure text (<c>System.Int32&amp;</c>, <c>!!0[,]</c>,
/// <c>List`1&lt;!0&gt; modreq(IsVolatile)</c>, <c>Outer/Inner</c>); a writer of another format
/// (documentation IDs, emit and stub keys) overrides the shapes it writes differently.
/// </summary>
internal abstract class TypeNameWriter : TypeReferenceWalker<StringBuilder, StringBuilder>
{
    public string Write(TypeReference type) => SpareStringBuilder.Release(Walk(type, SpareStringBuilder.Take()));

    public void Append(TypeReference type, StringBuilder builder) => Walk(type, builder);

    /// <summary>What is written between a nested type and the type it is nested in.</summary>
    protected virtual char NestedSeparator => '/';

    /// <summary>Every shape has a text of its own here.</summary>
    protected override StringBuilder DefaultVisit(TypeReference type, StringBuilder builder)
        => throw new UnreachableException("no text for the type reference " + type.GetType().Name);

    protected override StringBuilder GenericParameter(GenericParameter parameter, StringBuilder builder)
        => builder.Append(parameter.Type == GenericParameterType.Method ? "!!" : "!").Append(parameter.Position);

    protected override StringBuilder GenericInstance(GenericInstanceType instance, StringBuilder builder)
    {
        Walk(instance.ElementType, builder);
        AppendList(instance.GenericArguments, '<', '>', builder);
        return builder;
    }

    protected override StringBuilder Array(ArrayType array, StringBuilder builder)
        => Walk(array.ElementType, builder).Append('[').Append(',', array.Rank - 1).Append(']');

    protected override StringBuilder ByReference(ByReferenceType byReference, StringBuilder builder)
        => Walk(byReference.ElementType, builder).Append('&');

    protected override StringBuilder Pointer(PointerType pointer, StringBuilder builder)
        => Walk(pointer.ElementType, builder).Append('*');

    protected override StringBuilder Pinned(PinnedType pinned, StringBuilder builder)
        => Walk(pinned.ElementType, builder).Append(" pinned");

    protected override StringBuilder Sentinel(SentinelType sentinel, StringBuilder builder)
        => Walk(sentinel.ElementType, builder.Append("..."));

    protected override StringBuilder RequiredModifier(RequiredModifierType required, StringBuilder builder)
        => Walk(required.ModifierType, Walk(required.ElementType, builder).Append(" modreq(")).Append(')');

    protected override StringBuilder OptionalModifier(OptionalModifierType optional, StringBuilder builder)
        => Walk(optional.ModifierType, Walk(optional.ElementType, builder).Append(" modopt(")).Append(')');

    protected override StringBuilder FunctionPointer(FunctionPointerType function, StringBuilder builder)
    {
        Walk(function.ReturnType, builder.Append("method ")).Append(" *(");
        for (int i = 0; i < function.Parameters.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            Walk(function.Parameters[i].ParameterType, builder);
        }
        return builder.Append(')').Append(function.CallingConvention);
    }

    protected override StringBuilder Named(TypeReference type, StringBuilder builder)
    {
        if (type.DeclaringType is { } outer)
            Walk(outer, builder).Append(NestedSeparator);
        else if (!string.IsNullOrEmpty(type.Namespace))
            builder.Append(type.Namespace).Append('.');
        return builder.Append(NameOf(type));
    }

    /// <summary>
    /// A type's own name: a file-local type's without the checksum of its file's path, which changes
    /// with the folder a build was made in (<see cref="FileLocalNames"/>).
    /// </summary>
    protected virtual string NameOf(TypeReference type) => FileLocalNames.Stable(type.Name);

    /// <summary>Types separated by commas between <paramref name="open"/> and <paramref name="close"/>.</summary>
    protected void AppendList(IList<TypeReference> types, char open, char close, StringBuilder builder)
    {
        builder.Append(open);
        for (int i = 0; i < types.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            Walk(types[i], builder);
        }
        builder.Append(close);
    }
}
