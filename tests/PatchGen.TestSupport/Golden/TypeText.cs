using System.Globalization;
using System.Text;
using Mono.Cecil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// A type declaration as golden text: its attributes, base type, interfaces, custom attributes,
/// fields, properties and events, then the methods asked for (all of them by default), each as
/// <see cref="MethodText"/> prints it, separated by blank lines.
/// </summary>
public static class TypeText
{
    private const string Indent = "  ";

    public static string Of(TypeDefinition type, IEnumerable<MethodDefinition>? methods = null)
    {
        var text = new StringBuilder();
        text.Append(".class ").AppendJoin(" ", Flags(type)).Append(' ').Append(type.FullName);
        if (type.BaseType is not null)
            text.Append(" extends ").Append(MemberText.Type(type.BaseType));
        text.Append('\n');
        foreach (var parameter in type.GenericParameters)
            text.Append(Indent).Append(".generic ").Append(GenericParameterText.Of(parameter)).Append('\n');
        if (type.HasLayoutInfo)
            text.Append(Indent).Append(string.Create(CultureInfo.InvariantCulture, $".pack {type.PackingSize} .size {type.ClassSize}")).Append('\n');
        foreach (var implementation in type.Interfaces)
            text.Append(Indent).Append(".implements ").Append(MemberText.Type(implementation.InterfaceType)).Append('\n');
        foreach (var attribute in type.CustomAttributes)
            text.Append(Indent).Append(".custom ").Append(AttributeText.Of(attribute)).Append('\n');
        foreach (var field in type.Fields)
            AppendField(text, field);
        foreach (var property in type.Properties)
        {
            text.Append(Indent).Append(".property ").Append(property.PropertyType.FullName).Append(' ').Append(property.Name)
                .Append(Accessor(" get", property.GetMethod)).Append(Accessor(" set", property.SetMethod)).Append('\n');
        }
        foreach (var @event in type.Events)
        {
            text.Append(Indent).Append(".event ").Append(@event.EventType.FullName).Append(' ').Append(@event.Name)
                .Append(Accessor(" add", @event.AddMethod)).Append(Accessor(" remove", @event.RemoveMethod)).Append('\n');
        }
        foreach (var method in methods ?? type.Methods)
            text.Append('\n').Append(MethodText.Of(method));
        return text.ToString();
    }

    private static string Accessor(string keyword, MethodDefinition? accessor) => accessor is null ? "" : keyword + " " + accessor.Name;

    private static void AppendField(StringBuilder text, FieldDefinition field)
    {
        text.Append(Indent).Append(".field ").AppendJoin(" ", FieldFlags(field)).Append(' ').Append(field.FieldType.FullName).Append(' ').Append(field.Name);
        if (field.HasConstant)
            text.Append(" = ").Append(field.Constant is null ? "null" : LiteralText.Of(field.Constant));
        // Array-initializer data (<PrivateImplementationDetails>): the bytes are what a data change changes.
        if (field.HasFieldRVA)
            text.Append(" = bytes(").Append(Convert.ToHexString(field.InitialValue)).Append(')');
        if (field.HasLayoutInfo)
            text.Append(" at ").Append(field.Offset.ToString(CultureInfo.InvariantCulture));
        text.Append('\n');
        foreach (var attribute in field.CustomAttributes)
            text.Append(Indent).Append(Indent).Append(".custom ").Append(AttributeText.Of(attribute)).Append('\n');
    }

    private static IEnumerable<string> Flags(TypeDefinition type)
    {
        yield return (type.Attributes & TypeAttributes.VisibilityMask) switch
        {
            TypeAttributes.Public => "public",
            TypeAttributes.NotPublic => "notpublic",
            TypeAttributes.NestedPublic => "nested public",
            TypeAttributes.NestedPrivate => "nested private",
            TypeAttributes.NestedFamily => "nested family",
            TypeAttributes.NestedAssembly => "nested assembly",
            TypeAttributes.NestedFamANDAssem => "nested famandassem",
            _ => "nested famorassem",
        };
        var flags = new (bool Set, string Name)[]
        {
            (type.IsInterface, "interface"),
            (type.IsAbstract, "abstract"),
            (type.IsSealed, "sealed"),
            (type.IsSequentialLayout, "sequential"),
            (type.IsExplicitLayout, "explicit"),
            (type.IsSpecialName, "specialname"),
            (type.IsSerializable, "serializable"),
            (type.IsBeforeFieldInit, "beforefieldinit"),
        };
        foreach (var (set, name) in flags)
        {
            if (set)
                yield return name;
        }
    }

    private static IEnumerable<string> FieldFlags(FieldDefinition field)
    {
        yield return (field.Attributes & FieldAttributes.FieldAccessMask) switch
        {
            FieldAttributes.Public => "public",
            FieldAttributes.Private => "private",
            FieldAttributes.Assembly => "assembly",
            FieldAttributes.Family => "family",
            FieldAttributes.FamANDAssem => "famandassem",
            FieldAttributes.FamORAssem => "famorassem",
            _ => "compilercontrolled",
        };
        var flags = new (bool Set, string Name)[]
        {
            (field.IsStatic, "static"),
            (field.IsInitOnly, "initonly"),
            (field.IsLiteral, "literal"),
            (field.IsNotSerialized, "notserialized"),
            (field.IsSpecialName, "specialname"),
        };
        foreach (var (set, name) in flags)
        {
            if (set)
                yield return name;
        }
    }
}
