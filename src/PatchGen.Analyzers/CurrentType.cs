using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using PatchGen.Baseline;

namespace PatchGen.Analyzers;

/// <summary>
/// A type of the compilation being edited, described in the manifest's terms (<see cref="Model"/>),
/// with where in the source each part is, so that a finding is reported at the edited syntax.
/// </summary>
internal sealed class CurrentType
{
    public CurrentType(BaselineType model, Location location)
    {
        Model = model;
        Location = location;
        StaticInitializationLocation = location;
    }

    public BaselineType Model { get; }

    /// <summary>The type's identifier: where removed members and shape changes are reported.</summary>
    public Location Location { get; }

    /// <summary>The first static initializer or static constructor, or the type's identifier.</summary>
    public Location StaticInitializationLocation { get; set; }

    /// <summary>Field declarations by metadata name.</summary>
    public Dictionary<string, Location> Fields { get; } = new Dictionary<string, Location>();

    /// <summary>Constant values (the <c>= value</c> of a const or enum member) by field metadata name.</summary>
    public Dictionary<string, Location> ConstantValues { get; } = new Dictionary<string, Location>();

    /// <summary>Method signatures by documentation ID.</summary>
    public Dictionary<string, Location> Methods { get; } = new Dictionary<string, Location>();

    /// <summary>Parameter default values by method documentation ID and parameter index.</summary>
    public Dictionary<(string, int), Location> Defaults { get; } = new Dictionary<(string, int), Location>();

    /// <summary>Properties and events by documentation ID.</summary>
    public Dictionary<string, Location> Members { get; } = new Dictionary<string, Location>();

    /// <summary>Field names for which the source is a captured primary-constructor parameter (the code fix leaves those alone).</summary>
    public HashSet<string> CapturedParameterFields { get; } = new HashSet<string>();

    public Location FieldLocation(string name) => Fields.TryGetValue(name, out var l) ? l : Location;

    public Location MethodLocation(string id) => Methods.TryGetValue(id, out var l) ? l : Location;

    public Location MemberLocation(string id) => Members.TryGetValue(id, out var l) ? l : Location;
}
