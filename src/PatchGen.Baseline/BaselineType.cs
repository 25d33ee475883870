using System;
using System.Collections.Generic;

namespace PatchGen.Baseline;

/// <summary>
/// One user-written type of a build: its shape, layout, static initialization and members, as the
/// rules of PatchGen.Rules compare it. Read from a manifest, from Roslyn symbols (the analyzer) or
/// from metadata (the manifest writer, and the diff engine for both of its builds).
/// </summary>
/// <remarks>
/// Comparable texts (<see cref="BaseType"/>, <see cref="Interfaces"/>, ...) are compared only with
/// texts from a compatible reader: the manifest's with the analyzer's, one Cecil reading with
/// another. Not sealed: the diff engine's reader makes the texts of messages (C# names) only when a
/// rule asks for them, by overriding the virtual members, since nearly every member of a large
/// assembly is unchanged.
/// </remarks>
internal class BaselineType
{
    /// <summary>A fingerprint that could not be computed (its sources were not available).</summary>
    public const string Unknown = "unknown";

    /// <summary>The fingerprint of a type with no static initialization at all.</summary>
    public const string None = "none";

    /// <summary>Documentation ID: <c>T:Shop.Cart</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Metadata full name, nested types with '+': <c>Shop.Cart+Line`1</c> (what GetTypeByMetadataName takes).</summary>
    public string MetadataName { get; set; } = "";

    /// <summary>The metadata name without namespace and enclosing types: <c>Line`1</c>.</summary>
    public string Name => MetadataName.Substring(MetadataName.LastIndexOfAny(new[] { '.', '+' }) + 1);

    public string Namespace { get; set; } = "";

    /// <summary>The documentation ID of the enclosing type, or empty for a top-level type.</summary>
    public string DeclaringTypeId { get; set; } = "";

    /// <summary>
    /// class, struct, interface, enum or delegate (as the diff engine names them); a struct with its
    /// modifiers: <c>readonly struct</c>, <c>ref struct</c>, <c>readonly ref struct</c>.
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>static, abstract, sealed or none.</summary>
    public string Modifiers { get; set; } = "";

    /// <summary>The base type's text (<see cref="SignatureText"/>), or empty.</summary>
    public string BaseType { get; set; } = "";

    /// <summary>auto, sequential or explicit.</summary>
    public string LayoutKind { get; set; } = "auto";

    public int Pack { get; set; }

    public int Size { get; set; }

    /// <summary>The length of an <c>[InlineArray(n)]</c> struct (its size is n times its one field's), or 0.</summary>
    public int InlineArrayLength { get; set; }

    /// <summary>
    /// Whether a serializer enumerates the type's fields (<see cref="FieldSerializers"/>), or null
    /// where the reader does not know (the manifest does not record it).
    /// </summary>
    public bool? SerializesFields { get; set; }

    /// <summary>An enum's underlying type, or empty.</summary>
    public string EnumUnderlyingType { get; set; } = "";

    /// <summary>
    /// Fingerprint of the static field initializers and the static constructor, from source syntax
    /// (<see cref="SourceFingerprints"/>); <see cref="None"/> or <see cref="Unknown"/>.
    /// </summary>
    public string StaticInitialization { get; set; } = Unknown;

    /// <summary>
    /// The analyzer's type being edited: its <see cref="StaticInitialization"/> without the initializers of
    /// the static fields named (the extended model's added static fields; see <c>Fields/AddedStaticFieldRule</c>).
    /// Null where the reader cannot compute it (a manifest, metadata).
    /// </summary>
    public Func<ICollection<string>, string>? StaticInitializationWithout { get; set; }

    /// <summary>The type as C# names it in messages: <c>Cart</c>, <c>Box&lt;T&gt;</c>.</summary>
    public virtual string DisplayName { get; set; } = "";

    /// <summary>
    /// C# accessibility (<c>public</c>, <c>internal</c>...), or empty where the reader does not
    /// know it: the manifest does not record it (PG3001 is a caveat, not the analyzer's business).
    /// </summary>
    public string Accessibility { get; set; } = "";

    /// <summary>Custom attributes as comparable texts, or null where the reader does not know them (as <see cref="Accessibility"/>).</summary>
    public SortedSet<string>? Attributes { get; set; }

    /// <summary>Implemented interfaces (texts).</summary>
    public List<string> Interfaces { get; } = new List<string>();

    /// <summary>Generic parameters (<see cref="SignatureText.GenericParameter"/>), in order.</summary>
    public List<string> GenericParameters { get; } = new List<string>();

    /// <summary>The names of the generic parameters, for messages; empty where not known (the manifest does not record them).</summary>
    public List<string> GenericParameterNames { get; } = new List<string>();

    public virtual List<BaselineField> Fields { get; } = new List<BaselineField>();

    public virtual List<BaselineMethod> Methods { get; } = new List<BaselineMethod>();

    public virtual List<BaselineProperty> Properties { get; } = new List<BaselineProperty>();

    public virtual List<BaselineProperty> Events { get; } = new List<BaselineProperty>();

    /// <summary>The base type as messages name it; empty for none.</summary>
    public virtual string BaseTypeDisplay => BaseType;

    /// <summary>The interface at <paramref name="index"/> of <see cref="Interfaces"/> as messages name it.</summary>
    public virtual string InterfaceDisplay(int index) => Interfaces[index];

    /// <summary>The enum's underlying type as messages name it.</summary>
    public virtual string EnumUnderlyingTypeDisplay => EnumUnderlyingType;

    public string GenericParameterName(int index)
        => index < GenericParameterNames.Count ? GenericParameterNames[index] : "#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
