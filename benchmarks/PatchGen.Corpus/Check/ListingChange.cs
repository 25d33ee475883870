namespace PatchGen.Corpus.Check;

/// <summary>What a change of a listed item is.</summary>
internal enum ListingChangeKind
{
    FieldAdded,
    FieldRemoved,
    FieldChanged,
    ConstantValueChanged,
    SignatureChanged,
    StaticConstructorChanged,
}

/// <summary>
/// One change between the two listings of a type present in both builds, which no rule accepts under the simple
/// model. <see cref="Member"/> is the field or method name in metadata, null for a static constructor.
/// </summary>
internal sealed record ListingChange(ListingChangeKind Kind, string TypeName, string? Member, string Detail)
{
    /// <summary>The type as a documentation comment ID names it (nested types with <c>.</c>).</summary>
    public string DocTypeName => TypeName.Replace('/', '.');

    public override string ToString() => $"{Kind} {TypeName}{(Member is null ? "" : "::" + Member)}: {Detail}";

    /// <summary>
    /// Whether a diagnostic about <paramref name="docId"/> (a documentation comment ID of the report) is about this
    /// change: the member itself, or the user-facing member the rules report it under (an auto-property's backing
    /// field under <c>P:</c>, an event's under <c>E:</c>, a captured primary-constructor parameter under <c>T:</c>,
    /// an accessor's signature under its property), or, for a static constructor, the type or one of its fields.
    /// </summary>
    public bool IsNamedBy(string docId)
    {
        var type = DocTypeName;
        switch (Kind)
        {
            case ListingChangeKind.StaticConstructorChanged:
                return docId == "T:" + type || docId.StartsWith("M:" + type + ".#cctor", StringComparison.Ordinal)
                       || docId.StartsWith("F:" + type + ".", StringComparison.Ordinal);
            case ListingChangeKind.SignatureChanged:
                var name = Member == ".ctor" ? "#ctor" : Member!;
                var method = "M:" + type + "." + name;
                if (docId == method || docId.StartsWith(method + "(", StringComparison.Ordinal) || docId.StartsWith(method + "``", StringComparison.Ordinal))
                    return true;
                var property = AccessorProperty(name);
                return property is not null && (docId == "P:" + type + "." + property || docId.StartsWith("P:" + type + "." + property + "(", StringComparison.Ordinal));
            default:
                var field = UserFacingFieldName(Member!);
                return docId == "F:" + type + "." + Member || docId == "P:" + type + "." + field
                       || docId == "E:" + type + "." + field || docId == "T:" + type;
        }
    }

    /// <summary><c>&lt;X&gt;k__BackingField</c> and <c>&lt;x&gt;P</c> (a captured primary-constructor parameter) to <c>X</c>.</summary>
    private static string UserFacingFieldName(string field)
    {
        if (field.StartsWith('<'))
        {
            int end = field.IndexOf('>', StringComparison.Ordinal);
            if (end > 1)
                return field[1..end];
        }
        return field;
    }

    private static string? AccessorProperty(string method)
        => method.StartsWith("get_", StringComparison.Ordinal) || method.StartsWith("set_", StringComparison.Ordinal) ? method[4..] : null;
}
