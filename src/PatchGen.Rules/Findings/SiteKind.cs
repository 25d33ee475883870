namespace PatchGen.Rules.Findings;

/// <summary>What part of the code a finding points at; each host knows where that is in its sources.</summary>
internal enum SiteKind
{
    /// <summary>The type's declaration (the diff engine) or identifier (the analyzer).</summary>
    Type,

    /// <summary>A field's declaration.</summary>
    Field,

    /// <summary>A property's or event's declaration.</summary>
    PropertyOrEvent,

    /// <summary>A method's signature.</summary>
    Signature,

    /// <summary>The value of a constant (<c>= 5</c>).</summary>
    ConstantValue,

    /// <summary>The default value of a method's parameter.</summary>
    DefaultValue,

    /// <summary>The first static initializer or the static constructor of a type.</summary>
    StaticInitialization,
}
