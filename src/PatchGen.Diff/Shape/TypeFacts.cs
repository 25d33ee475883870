using Mono.Cecil;

namespace PatchGen.Diff.Shape;

/// <summary>What a type is, as both of the diff engine's readers of metadata (the shape reader and the manifest writer) say it.</summary>
internal static class TypeFacts
{
    /// <summary>class, struct, interface, enum or delegate.</summary>
    public static string Kind(TypeDefinition type)
    {
        if (type.IsInterface)
            return "interface";
        if (type.IsEnum)
            return "enum";
        if (type.IsValueType)
            return "struct";
        if (type.BaseType?.FullName is "System.MulticastDelegate")
            return "delegate";
        return "class";
    }

    /// <summary>The instance field <c>value__</c> that holds an enum's value: its underlying type, compared with the type's shape, not as a field.</summary>
    public static FieldDefinition? EnumStorage(TypeDefinition type)
        => type.IsEnum ? type.Fields.FirstOrDefault(f => !f.IsStatic && f.IsRuntimeSpecialName) : null;

    /// <summary>auto, sequential or explicit.</summary>
    public static string LayoutKind(TypeDefinition type)
        => type.IsExplicitLayout ? "explicit" : type.IsSequentialLayout ? "sequential" : "auto";
}
