using System.Globalization;
using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>A field as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilField : BaselineField
{
    private const string ThreadStatic = "System.ThreadStaticAttribute";
    private const string DecimalConstant = "System.Runtime.CompilerServices.DecimalConstantAttribute";
    private const string VolatileModifier = "modreq(System.Runtime.CompilerServices.IsVolatile)";

    /// <summary>The canonical type with its custom modifiers, volatile included: what messages fall back to.</summary>
    private readonly string _typeWithModifiers;
    private readonly (TypeReference Element, int Length)? _fixedBuffer;
    private string? _reportedId, _displayName;

    public CecilField(FieldDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        Name = definition.Name;
        _fixedBuffer = TypeFacts.FixedBuffer(definition);
        _typeWithModifiers = _fixedBuffer is { } buffer ? SignatureText.FixedBuffer(renderer.TypeName(buffer.Element), buffer.Length) : renderer.TypeName(definition.FieldType);
        bool isVolatile = _typeWithModifiers.Contains(VolatileModifier, StringComparison.Ordinal);
        Type = isVolatile ? _typeWithModifiers.Replace(" " + VolatileModifier, "", StringComparison.Ordinal) : _typeWithModifiers;
        bool isDecimal = HasAttribute(definition, DecimalConstant);
        Flags = SignatureText.FieldFlags(definition.IsStatic, definition.IsInitOnly, definition.IsLiteral, isVolatile, HasAttribute(definition, ThreadStatic), isDecimal);
        Constant = definition.IsLiteral ? ConstantText.Of(definition.Constant) : isDecimal ? DecimalValue(definition) ?? "" : "";
        Marshal = definition.HasMarshalInfo ? definition.MarshalInfo.NativeType.ToString() + ":" + definition.MarshalInfo.GetType().Name : "";
        Offset = definition.Offset;
        Accessibility = MetadataText.Accessibility(definition);
        var attributes = MetadataText.Attributes(definition);
        // Thread-static-ness is a flag of its own, a fixed buffer's length part of its type (a change of either is PG2003, not PG3002).
        attributes.RemoveWhere(a => a.StartsWith(ThreadStatic + "(", StringComparison.Ordinal) || a.StartsWith(TypeFacts.FixedBufferAttribute + "(", StringComparison.Ordinal));
        Attributes = attributes;
    }

    public FieldDefinition Definition { get; }

    public override string ReportedId
    {
        get => _reportedId ??= DiffContext.ReportedId(Definition);
        set => _reportedId = value;
    }

    public override string DisplayName
    {
        get => _displayName ??= DiffContext.DisplayName(Definition);
        set => _displayName = value;
    }

    /// <summary>A const as C# prints it; a <c>const decimal</c> as its value.</summary>
    public override string ConstantDisplay => Definition.IsLiteral ? MetadataText.Constant(Definition.Constant) : Constant;

    public override string TypeText(TextStyle style) => style switch
    {
        TextStyle.CSharp when _fixedBuffer is { } buffer => "fixed " + CSharpName.Type(buffer.Element) + "[" + buffer.Length.ToString(CultureInfo.InvariantCulture) + "]",
        TextStyle.QualifiedCSharp when _fixedBuffer is { } buffer => "fixed " + CSharpName.Type(buffer.Element, qualified: true) + "[" + buffer.Length.ToString(CultureInfo.InvariantCulture) + "]",
        TextStyle.CSharp => CSharpName.Type(Definition.FieldType),
        TextStyle.QualifiedCSharp => CSharpName.Type(Definition.FieldType, qualified: true),
        _ => _typeWithModifiers,
    };

    public override decimal? NumericConstant
    {
        get
        {
            if (Definition.Constant is null)
                return null;
            try
            {
                return Convert.ToDecimal(Definition.Constant, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
            {
                return null;
            }
        }
    }

    private static bool HasAttribute(FieldDefinition field, string fullName)
        => field.HasCustomAttributes && field.CustomAttributes.Any(a => a.AttributeType.FullName == fullName);

    /// <summary>A <c>const decimal</c> is stored as a static field with its value in a DecimalConstant attribute.</summary>
    private static string? DecimalValue(FieldDefinition field)
    {
        var attribute = field.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == DecimalConstant);
        if (attribute is null || attribute.ConstructorArguments.Count != 5)
            return null;
        try
        {
            var args = attribute.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, CultureInfo.InvariantCulture)).ToArray();
            var value = new decimal((int)(uint)args[4], (int)(uint)args[3], (int)(uint)args[2], args[1] != 0, (byte)args[0]);
            return value.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentException)
        {
            return Convert.ToHexString(attribute.GetBlob());
        }
    }
}
