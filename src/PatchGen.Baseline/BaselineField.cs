using System.Collections.Generic;

namespace PatchGen.Baseline;

/// <summary>One field, as metadata has it (auto-property backing fields included, reported under their property).</summary>
/// <remarks>Not sealed, for the reason given on <see cref="BaselineType"/>.</remarks>
internal class BaselineField
{
    /// <summary>The metadata name: fields are matched by it, as the diff engine does (<c>&lt;Name&gt;k__BackingField</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The ID it is reported under: its own, its property's, its event's, or its type's.</summary>
    public virtual string ReportedId { get; set; } = "";

    /// <summary>The field's type (<see cref="SignatureText"/>), without the volatile modifier.</summary>
    public string Type { get; set; } = "";

    /// <summary>Comma-separated, in this order: static, readonly, literal, volatile, threadstatic, decimalconst.</summary>
    public string Flags { get; set; } = "";

    /// <summary>The typed constant (<see cref="ConstantText"/>) of a const, enum member or const decimal; empty if none.</summary>
    public string Constant { get; set; } = "";

    /// <summary>The constant as C# prints it, for messages.</summary>
    public virtual string ConstantDisplay { get; set; } = "";

    /// <summary>The MarshalAs unmanaged type as a number, or empty.</summary>
    public string Marshal { get; set; } = "";

    /// <summary>The explicit-layout offset, or -1.</summary>
    public int Offset { get; set; } = -1;

    /// <summary>The field as messages name it: <c>Cart._total</c>, <c>auto-property Cart.Name</c>.</summary>
    public virtual string DisplayName { get; set; } = "";

    /// <summary>C# accessibility, or empty where not known (see <see cref="BaselineType.Accessibility"/>).</summary>
    public string Accessibility { get; set; } = "";

    /// <summary>Custom attributes as comparable texts (ThreadStatic left out: it is a flag), or null where not known.</summary>
    public SortedSet<string>? Attributes { get; set; }

    public bool HasFlag(string flag) => SignatureText.HasFlag(Flags, flag);

    /// <summary>The field's type as messages name it, in <paramref name="style"/>.</summary>
    public virtual string TypeText(TextStyle style) => Type;

    /// <summary>The value of an integral constant (enum members compare by it when only the enum's underlying type changed), or null.</summary>
    public virtual decimal? NumericConstant => ConstantText.Numeric(Constant);
}
