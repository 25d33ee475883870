using System.Globalization;
using System.Text;
using Mono.Cecil;

namespace PatchGen.TestSupport;

/// <summary>
/// Everything a rewritten type reference is made of, as text: its shape, names, scopes, generic
/// parameter owners and positions, array bounds, function pointer calling conventions. Pins what
/// functions that build type references return; written apart from the code it checks.
/// </summary>
public static class TypeReferenceDump
{
    public static string Of(TypeReference type)
    {
        var builder = new StringBuilder();
        Append(type, builder);
        return builder.ToString();
    }

    private static void Append(TypeReference type, StringBuilder builder)
    {
        builder.Append(type.GetType().Name).Append('(');
        switch (type)
        {
            case GenericParameter parameter:
                builder.Append(parameter.Name).Append(' ').Append(parameter.Type).Append(' ').Append(parameter.Position)
                    .Append(" of ").Append(parameter.Owner switch
                    {
                        TypeReference owner => owner.FullName,
                        MethodReference owner => owner.Name,
                        _ => "?",
                    });
                break;
            case GenericInstanceType instance:
                Append(instance.ElementType, builder);
                foreach (var argument in instance.GenericArguments)
                {
                    builder.Append(", ");
                    Append(argument, builder);
                }
                break;
            case ArrayType array:
                Append(array.ElementType, builder);
                builder.Append(" rank=").Append(array.Rank).Append(" vector=").Append(array.IsVector).Append(" dims=");
                foreach (var dimension in array.Dimensions)
                    builder.Append('[').Append(dimension.LowerBound?.ToString(CultureInfo.InvariantCulture) ?? "_").Append("..").Append(dimension.UpperBound?.ToString(CultureInfo.InvariantCulture) ?? "_").Append(']');
                break;
            case IModifierType modifier:
                Append(modifier.ModifierType, builder);
                builder.Append(", ");
                Append(modifier.ElementType, builder);
                break;
            case FunctionPointerType function:
                builder.Append(function.CallingConvention).Append(" this=").Append(function.HasThis).Append(" explicit=").Append(function.ExplicitThis).Append(' ');
                Append(function.ReturnType, builder);
                foreach (var parameter in function.Parameters)
                {
                    builder.Append(", ");
                    Append(parameter.ParameterType, builder);
                }
                break;
            case TypeSpecification specification:
                Append(specification.ElementType, builder);
                break;
            default:
                builder.Append('[').Append(type.Scope?.Name).Append("] ").Append(type.FullName)
                    .Append(type.IsValueType ? " valuetype" : "")
                    .Append(" module=").Append(type.Module?.Name);
                break;
        }
        builder.Append(')');
    }
}
