using System.Text;
using Mono.Cecil;

namespace PatchGen.Emit;

/// <summary>
/// A name for a type or method signature that is the same in the new build and in the base for the
/// same declaration: full names, with generic parameters by position (a renamed <c>T</c> is still
/// <c>!0</c>). Used to find an existing member of the base from its counterpart in the new build.
/// </summary>
internal static class TypeKey
{
    public static string Of(TypeReference type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    public static string Of(MethodReference method)
    {
        var builder = new StringBuilder();
        builder.Append(method.HasThis ? "instance " : "static ").Append(method.Name).Append('`').Append(method.GenericParameters.Count).Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            Append(builder, method.Parameters[i].ParameterType);
        }
        builder.Append(')');
        Append(builder, method.ReturnType);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                builder.Append(parameter.Type == GenericParameterType.Type ? "!" : "!!").Append(parameter.Position);
                return;
            case GenericInstanceType instance:
                Append(builder, instance.ElementType);
                builder.Append('<');
                for (int i = 0; i < instance.GenericArguments.Count; i++)
                {
                    if (i > 0)
                        builder.Append(',');
                    Append(builder, instance.GenericArguments[i]);
                }
                builder.Append('>');
                return;
            case ArrayType array:
                Append(builder, array.ElementType);
                builder.Append('[').Append(array.Rank).Append(']');
                return;
            case ByReferenceType byReference:
                Append(builder, byReference.ElementType);
                builder.Append('&');
                return;
            case PointerType pointer:
                Append(builder, pointer.ElementType);
                builder.Append('*');
                return;
            case RequiredModifierType required:
                Append(builder, required.ElementType);
                builder.Append(" modreq(");
                Append(builder, required.ModifierType);
                builder.Append(')');
                return;
            case OptionalModifierType optional:
                Append(builder, optional.ElementType);
                builder.Append(" modopt(");
                Append(builder, optional.ModifierType);
                builder.Append(')');
                return;
            case FunctionPointerType pointer:
                builder.Append("method ");
                Append(builder, pointer.ReturnType);
                builder.Append('(');
                foreach (var parameter in pointer.Parameters)
                {
                    Append(builder, parameter.ParameterType);
                    builder.Append(',');
                }
                builder.Append(')');
                return;
            case TypeSpecification other:
                Append(builder, other.ElementType);
                builder.Append('~').Append(other.MetadataType);
                return;
            default:
                builder.Append(type.FullName);
                return;
        }
    }
}
