using System.Collections.Generic;

namespace PatchGen.Baseline;

/// <summary>A property or an event: metadata over accessor methods, compared as a whole when it appears, disappears or changes signature.</summary>
/// <remarks>Not sealed, for the reason given on <see cref="BaselineType"/>.</remarks>
internal class BaselineProperty : IPrototyped
{
    /// <summary>Documentation ID (<c>P:</c> or <c>E:</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>The metadata name (<c>Item</c> for an indexer).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>static </c> if static, then the type (<see cref="SignatureText"/>), with its ref kind.</summary>
    public string Signature { get; set; } = "";

    /// <summary>Whether any accessor is virtual in metadata.</summary>
    public bool IsVirtual { get; set; }

    /// <summary>The member as messages name it: <c>Cart.Count</c>.</summary>
    public virtual string DisplayName { get; set; } = "";

    /// <summary>What its signature reads as in messages (<c>int Cart.Count</c>); empty where not known (the manifest does not record it).</summary>
    public string Prototype { get; set; } = "";

    /// <summary>Custom attributes as comparable texts, or null where not known.</summary>
    public SortedSet<string>? Attributes { get; set; }

    /// <summary>Documentation IDs of its accessors.</summary>
    public virtual List<string> Accessors { get; } = new List<string>();

    /// <summary>The member's prototype in <paramref name="style"/>; <see cref="TextStyle.Metadata"/> is <see cref="Signature"/>.</summary>
    public virtual string PrototypeText(TextStyle style) => style == TextStyle.Metadata ? Signature : Prototype;
}
