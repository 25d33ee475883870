using PatchGen.Baseline;

namespace PatchGen.Rules.Texts;

/// <summary>
/// The two sides of a message about a changed signature or type. When both read the same in C# (a
/// type moved to another namespace, as Roslyn's <c>OneOrMany</c> did between 4.14 and 5.0, or only a
/// custom modifier changed), the message would say "X changed to X"; then both are written
/// namespace-qualified, or failing that as their comparable metadata texts.
/// </summary>
internal static class SignatureTexts
{
    /// <summary>PG1001: the member's old name and its new prototype.</summary>
    /// <param name="name">How the message names the member before the change.</param>
    public static (string Was, string Now) Of(string name, IPrototyped b, IPrototyped n)
    {
        var (was, now) = (b.PrototypeText(TextStyle.CSharp), n.PrototypeText(TextStyle.CSharp));
        // An unknown old prototype (the manifest records none) cannot read the same as the new one.
        if (was.Length == 0 || was != now)
            return (name, now);
        (was, now) = (b.PrototypeText(TextStyle.QualifiedCSharp), n.PrototypeText(TextStyle.QualifiedCSharp));
        if (was != now)
            return (was, now);
        return (name + " [" + b.PrototypeText(TextStyle.Metadata) + "]", n.PrototypeText(TextStyle.CSharp) + " [" + n.PrototypeText(TextStyle.Metadata) + "]");
    }

    /// <summary>A field's two types.</summary>
    public static (string Was, string Now) OfTypes(BaselineField b, BaselineField n)
    {
        var (was, now) = (b.TypeText(TextStyle.CSharp), n.TypeText(TextStyle.CSharp));
        if (was == now)
            (was, now) = (b.TypeText(TextStyle.QualifiedCSharp), n.TypeText(TextStyle.QualifiedCSharp));
        if (was == now)
            (was, now) = (b.TypeText(TextStyle.Metadata), n.TypeText(TextStyle.Metadata));
        return (was, now);
    }
}
