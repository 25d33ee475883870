using System.Text;
using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Moves a signature from a method's generic context to its dispatch stub's: the declaring type's
/// generic parameter i becomes the stub's parameter i, the method's parameter j becomes the stub's
/// parameter (type arity + j). Also renders a signature as a key in which generic parameters are
/// numbered that way, so that methods with the same dispatch shape share a stub.
/// </summary>
internal sealed class GenericRemapper
{
    private readonly int _typeArity;
    private readonly IReadOnlyList<TypeReference>? _target;

    /// <param name="typeArity">How many generic parameters the declaring type has.</param>
    /// <param name="target">The stub's generic parameters; null when only rendering keys.</param>
    public GenericRemapper(int typeArity, IReadOnlyList<TypeReference>? target)
    {
        _typeArity = typeArity;
        _target = target;
    }

    private int Index(GenericParameter parameter)
        => parameter.Type == GenericParameterType.Method ? _typeArity + parameter.Position : parameter.Position;

    public TypeReference Remap(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                return _target![Index(parameter)];
            case ByReferenceType byRef:
                return new ByReferenceType(Remap(byRef.ElementType));
            case PointerType pointer:
                return new PointerType(Remap(pointer.ElementType));
            case PinnedType pinned:
                return new PinnedType(Remap(pinned.ElementType));
            case SentinelType sentinel:
                return new SentinelType(Remap(sentinel.ElementType));
            case RequiredModifierType required:
                return new RequiredModifierType(Remap(required.ModifierType), Remap(required.ElementType));
            case OptionalModifierType optional:
                return new OptionalModifierType(Remap(optional.ModifierType), Remap(optional.ElementType));
            case ArrayType array:
            {
                var copy = new ArrayType(Remap(array.ElementType));
                copy.Dimensions.Clear();
                foreach (var dimension in array.Dimensions)
                    copy.Dimensions.Add(new ArrayDimension(dimension.LowerBound, dimension.UpperBound));
                return copy;
            }
            case GenericInstanceType instance:
            {
                var copy = new GenericInstanceType(instance.ElementType);
                foreach (var argument in instance.GenericArguments)
                    copy.GenericArguments.Add(Remap(argument));
                return copy;
            }
            case FunctionPointerType pointer:
            {
                var copy = new FunctionPointerType
                {
                    ReturnType = Remap(pointer.ReturnType),
                    HasThis = pointer.HasThis,
                    ExplicitThis = pointer.ExplicitThis,
                    CallingConvention = pointer.CallingConvention,
                };
                foreach (var parameter in pointer.Parameters)
                    copy.Parameters.Add(new ParameterDefinition(Remap(parameter.ParameterType)));
                return copy;
            }
            default:
                return type;
        }
    }

    /// <summary>A text that is equal for two types exactly when they remap to the same type.</summary>
    public string Key(TypeReference type)
    {
        var text = new StringBuilder();
        AppendKey(text, type);
        return text.ToString();
    }

    private void AppendKey(StringBuilder text, TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                text.Append('!').Append(Index(parameter));
                break;
            case ByReferenceType byRef:
                AppendKey(text, byRef.ElementType);
                text.Append('&');
                break;
            case PointerType pointer:
                AppendKey(text, pointer.ElementType);
                text.Append('*');
                break;
            case PinnedType pinned:
                AppendKey(text, pinned.ElementType);
                text.Append(" pinned");
                break;
            case SentinelType sentinel:
                AppendKey(text, sentinel.ElementType);
                text.Append(" sentinel");
                break;
            case RequiredModifierType required:
                AppendKey(text, required.ElementType);
                text.Append(" modreq(");
                AppendKey(text, required.ModifierType);
                text.Append(')');
                break;
            case OptionalModifierType optional:
                AppendKey(text, optional.ElementType);
                text.Append(" modopt(");
                AppendKey(text, optional.ModifierType);
                text.Append(')');
                break;
            case ArrayType array:
                AppendKey(text, array.ElementType);
                text.Append('[');
                for (int i = 0; i < array.Dimensions.Count; i++)
                {
                    var dimension = array.Dimensions[i];
                    if (i > 0)
                        text.Append(',');
                    if (dimension.IsSized)
                        text.Append(dimension.LowerBound).Append("...").Append(dimension.UpperBound);
                }
                text.Append(']');
                break;
            case GenericInstanceType instance:
                AppendKey(text, instance.ElementType);
                text.Append('<');
                for (int i = 0; i < instance.GenericArguments.Count; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    AppendKey(text, instance.GenericArguments[i]);
                }
                text.Append('>');
                break;
            case FunctionPointerType pointer:
                text.Append("method ").Append((int)pointer.CallingConvention).Append(pointer.HasThis ? " this " : " ");
                AppendKey(text, pointer.ReturnType);
                text.Append('(');
                foreach (var parameter in pointer.Parameters)
                {
                    AppendKey(text, parameter.ParameterType);
                    text.Append(',');
                }
                text.Append(')');
                break;
            default:
                // The scope tells apart two types of the same name from different assemblies.
                text.Append('[').Append(type.Scope?.Name).Append(']').Append(type.FullName);
                if (type.IsValueType)
                    text.Append(" valuetype");
                break;
        }
    }
}
