using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PatchGen.Macro.Jit;

/// <summary>
/// The IL size of every method body of an assembly by "Namespace.Type+Nested::Name", the form the runtime's inlining
/// events name methods in (after <see cref="Normalize"/>). Overloads share a key; the smallest body stands for them.
/// </summary>
internal static class IlSizes
{
    public static Dictionary<string, int> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            string typeName = FullName(reader, type);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                    continue;
                int size = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader().Length;
                string key = typeName + "::" + reader.GetString(method.Name);
                sizes[key] = sizes.TryGetValue(key, out int known) ? Math.Min(known, size) : size;
            }
        }
        return sizes;
    }

    /// <summary>
    /// An event's method name without the type's instantiation and as its original for an inline clone
    /// (<c>T::&lt;PatchGen&gt;c$Add</c> → <c>T::Add</c>), so that the pairs of both builds compare.
    /// </summary>
    public static string Normalize(string eventName)
    {
        string name = WithoutInstantiation(eventName);
        int separator = name.IndexOf("::", StringComparison.Ordinal);
        return separator < 0 ? name : name[..(separator + 2)] + PatchGen.Cecil.Methods.InlineClone.OriginalName(name[(separator + 2)..]);
    }

    /// <summary>An event's method name without the type's instantiation (<c>List`1[System.__Canon]::Add</c> → <c>List`1::Add</c>).</summary>
    public static string WithoutInstantiation(string eventName)
    {
        int separator = eventName.IndexOf("::", StringComparison.Ordinal);
        if (separator < 0)
            return eventName;
        string type = eventName[..separator];
        int bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? eventName : type[..bracket] + eventName[separator..];
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
            return FullName(reader, reader.GetTypeDefinition(declaring)) + "+" + reader.GetString(type.Name);
        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? reader.GetString(type.Name) : ns + "." + reader.GetString(type.Name);
    }
}
