namespace PatchGen.Baseline;

/// <summary>
/// The attributes by which a type declares that a serializer enumerates its fields (so a field left
/// in a live object, though no code uses it, still goes into what it writes): runtime serialization's
/// <c>[Serializable]</c> (a metadata flag, <c>TypeAttributes.Serializable</c>) and data contracts'
/// <c>[DataContract]</c>. Both readers of a type in a build (Cecil, Roslyn) name them from here.
/// </summary>
internal static class FieldSerializers
{
    public const string SerializableAttribute = "System.SerializableAttribute";

    public const string DataContractAttribute = "System.Runtime.Serialization.DataContractAttribute";

    public static bool IsOne(string attributeFullName)
        => attributeFullName == SerializableAttribute || attributeFullName == DataContractAttribute;
}
