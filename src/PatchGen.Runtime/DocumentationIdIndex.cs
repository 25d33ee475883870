using System.Reflection;

namespace PatchGen.Runtime;

/// <summary>Finds a method of an assembly by its documentation comment ID.</summary>
internal sealed class DocumentationIdIndex
{
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);

    public DocumentationIdIndex(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        foreach (var type in types)
            _types.TryAdd(ReflectionDocumentationId.ForTypeName(type), type);
    }

    public MethodBase? Find(string documentationId)
    {
        if (!documentationId.StartsWith("M:", StringComparison.Ordinal))
            return null;
        int open = documentationId.IndexOf('(');
        var head = open < 0 ? documentationId : documentationId[..open];
        int tilde = head.IndexOf('~');
        if (tilde >= 0)
            head = head[..tilde];
        int dot = head.LastIndexOf('.');
        if (dot <= 2)
            return null;
        if (!_types.TryGetValue(head[2..dot], out var type))
            return null;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (ReflectionDocumentationId.ForMethod(method) == documentationId)
                return method;
        }
        return null;
    }
}
