using System.Text.Json.Serialization;

namespace PatchGen.Cli.Inspect;

/// <summary>
/// Compile-time serialization of <see cref="InspectJsonDocument"/>: indented with two spaces, names
/// camel-cased, nulls written, and the default encoder's escaping (<c>`</c> as <c>\u0060</c>), which
/// is what schema 1 has always been byte for byte.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(InspectJsonDocument))]
internal sealed partial class InspectJsonContext : JsonSerializerContext
{
}
