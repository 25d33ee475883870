using System;
using System.Collections.Generic;
using System.Globalization;

namespace PatchGen.Baseline;

/// <summary>
/// One user-written method (accessors and operators included; lambdas and local functions not; the
/// static constructor only in the diff engine's reading, since the manifest compares static
/// initialization from source).
/// </summary>
/// <remarks>Not sealed, for the reason given on <see cref="BaselineType"/>.</remarks>
internal class BaselineMethod : IPrototyped
{
    /// <summary>The metadata name of a record's synthesized clone method, reported under its record.</summary>
    public const string RecordClone = "<Clone>$";

    /// <summary>Documentation ID: methods are matched by it.</summary>
    public string Id { get; set; } = "";

    /// <summary>The metadata name: unmatched methods of the same name are a signature change.</summary>
    public string Name { get; set; } = "";

    /// <summary>Everything a call site depends on (<see cref="SignatureText.Method"/>).</summary>
    public string Signature { get; set; } = "";

    /// <summary>Dispatch as metadata has it (<see cref="SignatureText.Dispatch"/>).</summary>
    public string Dispatch { get; set; } = "";

    /// <summary><c>body</c> for a method with an IL body; otherwise what the runtime builds it from (<see cref="SignatureText.NoBody"/>).</summary>
    public string NoBody { get; set; } = "body";

    /// <summary>SHA-256 of the canonical IL of the method and the generated code it owns (the diff engine's closure hash), or empty.</summary>
    public string BodyHash { get; set; } = "";

    /// <summary>
    /// For a LibraryImport method: the fingerprint of its source (declaration and generated stub),
    /// since its IL body is generated marshalling code; empty otherwise, <c>unknown</c> without sources.
    /// </summary>
    public string StubFingerprint { get; set; } = "";

    /// <summary>The method as messages name it: <c>Cart.Total(int)</c>.</summary>
    public virtual string DisplayName { get; set; } = "";

    /// <summary>
    /// The method as C# declares it, which messages about adding, removing or re-signing it use:
    /// the <see cref="DisplayName"/>, except for a record's clone method, which the diff engine
    /// names by its metadata name there.
    /// </summary>
    public virtual string DeclaredName => DisplayName;

    /// <summary>What its signature reads as in messages (<c>static decimal Cart.Total(int)</c>); empty where not known (the manifest does not record it).</summary>
    public string Prototype { get; set; } = "";

    /// <summary>
    /// An accessor the compiler writes for an auto-property (a plain read or write of its backing field):
    /// such an accessor gets no patch site (docs/patch-sites.md), so a fix may not change it (PG2008).
    /// </summary>
    public bool IsAutoAccessor { get; set; }

    /// <summary>Whether this is the static constructor (present only in the diff engine's reading).</summary>
    public bool IsStaticConstructor { get; set; }

    /// <summary>C# accessibility, or empty where not known (see <see cref="BaselineType.Accessibility"/>).</summary>
    public string Accessibility { get; set; } = "";

    /// <summary>Custom attributes of the method, its return value and its parameters as comparable texts, or null where not known.</summary>
    public SortedSet<string>? Attributes { get; set; }

    /// <summary>The MethodImpl flags as metadata has them (ECMA-335 II.23.1.11), or -1 where not known.</summary>
    public int ImplementationFlags { get; set; } = -1;

    /// <summary>Generic parameters (<see cref="SignatureText.GenericParameter"/>), in order.</summary>
    public List<string> GenericParameters { get; } = new List<string>();

    /// <summary>The names of the generic parameters, for messages; empty where not known.</summary>
    public List<string> GenericParameterNames { get; } = new List<string>();

    /// <summary>Default values of the parameters, one per parameter: a typed constant, or empty for none.</summary>
    public List<string> Defaults { get; } = new List<string>();

    /// <summary>The default values as C# prints them, for messages ("none" for no default).</summary>
    public List<string> DefaultDisplays { get; } = new List<string>();

    /// <summary>The parameter names, for messages; empty where not known.</summary>
    public List<string> ParameterNames { get; } = new List<string>();

    public bool HasBody => NoBody == "body";

    public bool IsVirtual => SignatureText.IsVirtualDispatch(Dispatch);

    public bool IsAbstract => Dispatch.StartsWith("abstract", StringComparison.Ordinal);

    public bool IsRecordClone => Name == RecordClone;

    /// <summary>The dispatch as messages name it, without the explicit overrides.</summary>
    public string DispatchDisplay => SignatureText.DispatchKind(Dispatch);

    /// <summary>What a method without an IL body is, for messages: <c>a P/Invoke</c>, <c>abstract</c>.</summary>
    public virtual string NoBodyDisplay => SignatureText.NoBodyKind(NoBody);

    /// <summary>The method's prototype in <paramref name="style"/>; <see cref="TextStyle.Metadata"/> is <see cref="Signature"/>.</summary>
    public virtual string PrototypeText(TextStyle style) => style == TextStyle.Metadata ? Signature : Prototype;

    public virtual string ParameterName(int index)
        => index < ParameterNames.Count ? ParameterNames[index] : "#" + index.ToString(CultureInfo.InvariantCulture);

    public string GenericParameterName(int index)
        => index < GenericParameterNames.Count ? GenericParameterNames[index] : "#" + index.ToString(CultureInfo.InvariantCulture);
}
