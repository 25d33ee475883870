using System.Reflection.Metadata;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// The type provider System.Reflection.Metadata needs to decode custom attribute arguments. The
/// patch attributes take strings, booleans and integers only; types are named, never resolved, and
/// an enum (a callback kind) decodes as its underlying int, which is all the header reader needs to
/// step over it.
/// </summary>
internal sealed class AttributeValueDecoder : ICustomAttributeTypeProvider<string>
{
    public static readonly AttributeValueDecoder Instance = new();

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

    public string GetSystemType() => "System.Type";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeDefinition(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeReference(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    public string GetTypeFromSerializedName(string name) => name;

    // Every enum the patch attributes use (PatchCallbackKind) is an int.
    public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

    public bool IsSystemType(string type) => type == "System.Type";
}
