namespace PatchGen.Baseline;

/// <summary>
/// How a type or prototype is written in a message. Two different texts can read the same in C#
/// (a type moved to another namespace), so a message falls back from one style to the next until
/// the two sides read differently (PatchGen.Rules' SignatureTexts).
/// </summary>
internal enum TextStyle
{
    /// <summary>As C# writes it: <c>List&lt;int&gt;</c>, <c>static int Cart.Total(int)</c>.</summary>
    CSharp,

    /// <summary>As C# writes it with namespaces.</summary>
    QualifiedCSharp,

    /// <summary>The comparable text itself (the reader's canonical metadata form).</summary>
    Metadata,
}
