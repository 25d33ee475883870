using System.Globalization;
using PatchGen.Emit;

namespace PatchGen.Cli.Inspect;

/// <summary>
/// The document <c>patchgen inspect --json</c> writes (schema 1, docs/cli.md). Its own types, not the
/// emitter's <see cref="PatchDescription"/>, so that the schema scripts rely on changes only here;
/// properties are written in the order they are declared, camel-cased.
/// </summary>
internal sealed record InspectJsonDocument(
    int Schema,
    string Path,
    string Id,
    string Assembly,
    string Mvid,
    InspectJsonBase Base,
    bool Cumulative,
    InspectJsonSignature Signature,
    IReadOnlyList<InspectJsonSystemState> SystemStates,
    IReadOnlyList<InspectJsonReplacement> Replaces,
    IReadOnlyList<InspectJsonCallback> Callbacks,
    IReadOnlyList<string> Types)
{
    /// <summary>Every base of a patch of several assemblies, the <c>base</c> first; absent for a patch of one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<InspectJsonBase>? Bases { get; init; }

    public static InspectJsonDocument From(PatchDescription patch) => new(
        Schema: 1,
        patch.Path,
        patch.Id,
        patch.AssemblyName,
        patch.Mvid.ToString("D", CultureInfo.InvariantCulture),
        new InspectJsonBase(patch.TargetAssembly, patch.BaseMvid),
        patch.Cumulative,
        new InspectJsonSignature(patch.Signature.Signed, patch.Signature.PublicKeyToken, patch.Signature.Valid, patch.Signature.Problem),
        patch.SystemStates.Select(s => new InspectJsonSystemState(s.Id, s.Version)).ToList(),
        patch.Replaces.Select(r => new InspectJsonReplacement(r.DocumentationId, r.Site, r.Replacement) { Assembly = r.Assembly }).ToList(),
        patch.Callbacks.Select(c => new InspectJsonCallback(c.Kind, c.Method)).ToList(),
        patch.ShippedTypes)
    {
        Bases = patch.Bases.Count > 1 ? patch.Bases.Select(b => new InspectJsonBase(b.Name, b.Mvid)).ToList() : null,
    };
}

/// <summary>The build a patch is bound to: <c>base</c>.</summary>
internal sealed record InspectJsonBase(string Name, string Mvid);

/// <summary><c>signature</c>: <c>valid</c> and <c>problem</c> are null when the signature was not checked.</summary>
internal sealed record InspectJsonSignature(bool Signed, string? PublicKeyToken, bool? Valid, string? Problem);

/// <summary>One entry of <c>systemStates</c>.</summary>
internal sealed record InspectJsonSystemState(int Id, int Version);

/// <summary>One entry of <c>replaces</c>: the member by documentation ID, its patch site, the replacing method.</summary>
internal sealed record InspectJsonReplacement(string Member, int Site, string Replacement)
{
    /// <summary>The base that declares the member, in a patch of several assemblies; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Assembly { get; init; }
}

/// <summary>One entry of <c>callbacks</c>.</summary>
internal sealed record InspectJsonCallback(string Kind, string Method);
