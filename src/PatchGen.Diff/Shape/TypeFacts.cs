using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>What a type is, as both of the diff engine's readers of metadata (the shape reader and the manifest writer) say it.</summary>
internal static class TypeFacts
{
    /// <summary>
    /// class, struct, interface, enum or delegate; a struct qualified <c>readonly</c> and <c>ref</c> as
    /// declared (<see cref="SignatureText.StructKind"/>), from the markers the compiler puts on it.
    /// </summary>
    public static string Kind(TypeDefinition type)
    {
        if (type.IsInterface)
            return "interface";
        if (type.IsEnum)
            return "enum";
        if (type.IsValueType)
            return SignatureText.StructKind(HasMarker(type, IsReadOnly), HasMarker(type, IsByRefLike));
        if (type.BaseType?.FullName is "System.MulticastDelegate")
            return "delegate";
        return "class";
    }

    private const string IsReadOnly = "System.Runtime.CompilerServices.IsReadOnlyAttribute";
    private const string IsByRefLike = "System.Runtime.CompilerServices.IsByRefLikeAttribute";

    private static bool HasMarker(TypeDefinition type, string attribute)
        => type.HasCustomAttributes && type.CustomAttributes.Any(a => a.AttributeType.FullName == attribute);

    /// <summary>The instance field <c>value__</c> that holds an enum's value: its underlying type, compared with the type's shape, not as a field.</summary>
    public static FieldDefinition? EnumStorage(TypeDefinition type)
        => type.IsEnum ? type.Fields.FirstOrDefault(f => !f.IsStatic && f.IsRuntimeSpecialName) : null;

    /// <summary>auto, sequential or explicit.</summary>
    public static string LayoutKind(TypeDefinition type)
        => type.IsExplicitLayout ? "explicit" : type.IsSequentialLayout ? "sequential" : "auto";

    /// <summary>
    /// A fixed-size buffer (<c>fixed byte Data[4]</c>): its element type and length, from the
    /// FixedBuffer attribute the compiler puts on the field (its metadata type is a generated struct,
    /// <c>&lt;Data&gt;e__FixedBuffer</c>, whose StructLayout size holds the length); null for another field.
    /// </summary>
    public static (TypeReference Element, int Length)? FixedBuffer(FieldDefinition field)
    {
        if (!field.HasCustomAttributes)
            return null;
        var attribute = field.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == FixedBufferAttribute);
        return attribute is { ConstructorArguments.Count: 2 } && attribute.ConstructorArguments[0].Value is TypeReference element
            && attribute.ConstructorArguments[1].Value is int length ? (element, length) : null;
    }

    /// <summary>The length an <c>[InlineArray(n)]</c> struct repeats its field, or 0.</summary>
    public static int InlineArrayLength(TypeDefinition type)
    {
        if (!type.HasCustomAttributes)
            return 0;
        var attribute = type.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == InlineArrayAttribute);
        return attribute is { ConstructorArguments.Count: 1 } && attribute.ConstructorArguments[0].Value is int length ? length : 0;
    }

    public const string FixedBufferAttribute = "System.Runtime.CompilerServices.FixedBufferAttribute";

    public const string InlineArrayAttribute = "System.Runtime.CompilerServices.InlineArrayAttribute";
}
