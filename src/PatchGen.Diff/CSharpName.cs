using System.Text;
using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Names members the way a C# developer writes them, for messages: <c>Cart.Total(int)</c>,
/// <c>Cart.this[int]</c>, <c>Cart.operator +(Cart, Cart)</c>, <c>List&lt;T&gt;</c>.
/// </summary>
internal static class CSharpName
{
    public static string Of(IMemberDefinition member, bool qualified = false) => member switch
    {
        TypeDefinition type => Type(type, qualified),
        MethodDefinition method => Method(method, qualified),
        FieldDefinition field => Type(field.DeclaringType, qualified) + "." + UserFieldName(field),
        PropertyDefinition property => Property(property, qualified),
        EventDefinition evt => Type(evt.DeclaringType, qualified) + "." + evt.Name,
        _ => member.Name,
    };

    /// <param name="qualified">Also name the namespaces: two different types can read the same without
    /// them (<c>Roslyn.Utilities.OneOrMany</c> moved to <c>Microsoft.CodeAnalysis.Collections</c>).</param>
    public static string Type(TypeReference type, bool qualified = false)
    {
        var builder = new StringBuilder();
        AppendType(type, builder, qualifyOuter: true, qualified);
        return builder.ToString();
    }

    private static string UserFieldName(FieldDefinition field)
        => GeneratedCode.BackingFieldProperty(field.Name) ?? GeneratedCode.PrimaryConstructorParameter(field.Name) ?? field.Name;

    private static string Property(PropertyDefinition property, bool qualified)
    {
        var owner = Type(property.DeclaringType, qualified);
        if (!property.HasParameters)
            return owner + "." + property.Name;
        return owner + ".this[" + string.Join(", ", property.Parameters.Select(p => Parameter(p, qualified))) + "]";
    }

    public static string Method(MethodDefinition method, bool qualified = false)
    {
        var owner = Type(method.DeclaringType, qualified);
        var parameterNames = method.Parameters.Select(p => Parameter(p, qualified));
        // A varargs method is declared with __arglist last; without it, it reads as another overload.
        if (method.CallingConvention == MethodCallingConvention.VarArg)
            parameterNames = parameterNames.Append("__arglist");
        var parameters = "(" + string.Join(", ", parameterNames) + ")";
        var simpleOwner = StripArity(method.DeclaringType.Name);
        var generics = method.HasGenericParameters ? "<" + string.Join(", ", method.GenericParameters.Select(g => g.Name)) + ">" : "";
        string name = method.Name switch
        {
            ".ctor" => simpleOwner,
            ".cctor" => "static " + simpleOwner,
            _ when method.IsSpecialName && method.Name.StartsWith("op_", StringComparison.Ordinal) => OperatorName(method),
            _ => method.Name,
        };
        return owner + "." + name + generics + parameters;
    }

    /// <summary>A method's parameter list and return type in C#, used to say what a signature became.</summary>
    public static string Prototype(MethodDefinition method, bool qualified = false)
    {
        var modifiers = method.IsStatic ? "static " : "";
        return modifiers + Type(method.ReturnType, qualified) + " " + Method(method, qualified);
    }

    private static string Parameter(ParameterDefinition parameter, bool qualified = false)
    {
        var type = parameter.ParameterType;
        string prefix = "";
        if (type is ByReferenceType byRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = byRef.ElementType;
        }
        return prefix + Type(type, qualified);
    }

    private static string OperatorName(MethodDefinition method) => method.Name switch
    {
        "op_Addition" => "operator +",
        "op_Subtraction" => "operator -",
        "op_Multiply" => "operator *",
        "op_Division" => "operator /",
        "op_Modulus" => "operator %",
        "op_Equality" => "operator ==",
        "op_Inequality" => "operator !=",
        "op_LessThan" => "operator <",
        "op_GreaterThan" => "operator >",
        "op_LessThanOrEqual" => "operator <=",
        "op_GreaterThanOrEqual" => "operator >=",
        "op_UnaryNegation" => "operator -",
        "op_UnaryPlus" => "operator +",
        "op_LogicalNot" => "operator !",
        "op_OnesComplement" => "operator ~",
        "op_Increment" => "operator ++",
        "op_Decrement" => "operator --",
        "op_True" => "operator true",
        "op_False" => "operator false",
        "op_BitwiseAnd" => "operator &",
        "op_BitwiseOr" => "operator |",
        "op_ExclusiveOr" => "operator ^",
        "op_LeftShift" => "operator <<",
        "op_RightShift" => "operator >>",
        "op_UnsignedRightShift" => "operator >>>",
        "op_Implicit" => "implicit operator " + Type(method.ReturnType),
        "op_Explicit" => "explicit operator " + Type(method.ReturnType),
        _ => method.Name,
    };

    private static string StripArity(string name) => DocumentationId.SplitArity(name).Name;

    private static void AppendType(TypeReference type, StringBuilder builder, bool qualifyOuter, bool qualified)
    {
        switch (type)
        {
            case ByReferenceType byRef:
                builder.Append("ref ");
                AppendType(byRef.ElementType, builder, qualifyOuter, qualified);
                return;
            case PointerType pointer:
                AppendType(pointer.ElementType, builder, qualifyOuter, qualified);
                builder.Append('*');
                return;
            case ArrayType array:
                AppendType(array.ElementType, builder, qualifyOuter, qualified);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                return;
            case GenericParameter parameter:
                builder.Append(parameter.Name);
                return;
            case IModifierType modified:
                AppendType(modified.ElementType, builder, qualifyOuter, qualified);
                return;
            case GenericInstanceType instance when instance.ElementType.FullName == "System.Nullable`1":
                AppendType(instance.GenericArguments[0], builder, qualifyOuter, qualified);
                builder.Append('?');
                return;
            case GenericInstanceType instance:
                AppendType(instance.ElementType, builder, qualifyOuter, qualified);
                builder.Append('<');
                for (int i = 0; i < instance.GenericArguments.Count; i++)
                {
                    if (i > 0)
                        builder.Append(", ");
                    AppendType(instance.GenericArguments[i], builder, qualifyOuter, qualified);
                }
                builder.Append('>');
                return;
        }

        if (Keyword(type) is { } keyword)
        {
            builder.Append(keyword);
            return;
        }
        if (qualifyOuter && type.DeclaringType is { } outer)
        {
            AppendType(outer, builder, qualifyOuter, qualified);
            builder.Append('.');
        }
        else if (qualified && !string.IsNullOrEmpty(type.Namespace))
        {
            builder.Append(type.Namespace).Append('.');
        }
        builder.Append(StripArity(FileLocalNames.UserName(type.Name)));
        if (type is TypeDefinition { HasGenericParameters: true } definition)
        {
            var own = definition.GenericParameters.Skip(definition.DeclaringType?.GenericParameters.Count ?? 0).ToList();
            if (own.Count > 0)
                builder.Append('<').Append(string.Join(", ", own.Select(p => p.Name))).Append('>');
        }
    }

    private static string? Keyword(TypeReference type)
    {
        if (type.Namespace != "System" || type.DeclaringType != null)
            return null;
        return type.Name switch
        {
            "Void" => "void",
            "Boolean" => "bool",
            "Byte" => "byte",
            "SByte" => "sbyte",
            "Char" => "char",
            "Int16" => "short",
            "UInt16" => "ushort",
            "Int32" => "int",
            "UInt32" => "uint",
            "Int64" => "long",
            "UInt64" => "ulong",
            "IntPtr" => "nint",
            "UIntPtr" => "nuint",
            "Single" => "float",
            "Double" => "double",
            "Decimal" => "decimal",
            "String" => "string",
            "Object" => "object",
            _ => null,
        };
    }
}
