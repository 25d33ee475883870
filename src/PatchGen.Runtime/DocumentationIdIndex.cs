using System.Reflection;

namespace PatchGen.Runtime;

/// <summary>
/// Finds a method of an assembly by its documentation comment ID. One ID can name methods of several
/// types: <c>file</c>-scoped types of one name in different files (their IDs name them alike, as
/// Roslyn's do), all of which are candidates.
/// </summary>
internal sealed class DocumentationIdIndex
{
    private readonly Dictionary<string, List<Type>> _types = new(StringComparer.Ordinal);

    public DocumentationIdIndex(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        foreach (var type in types)
        {
            var id = ReflectionDocumentationId.ForTypeName(type);
            if (!_types.TryGetValue(id, out var list))
                _types.Add(id, list = new List<Type>(1));
            list.Add(type);
        }
    }

    /// <summary>The first method with the ID (in the assembly's type order), or null.</summary>
    public MethodBase? Find(string documentationId) => FindAll(documentationId).FirstOrDefault();

    /// <summary>Every method with the ID, in the assembly's type order.</summary>
    public IEnumerable<MethodBase> FindAll(string documentationId)
    {
        if (!documentationId.StartsWith("M:", StringComparison.Ordinal))
            yield break;
        int open = documentationId.IndexOf('(');
        var head = open < 0 ? documentationId : documentationId[..open];
        int tilde = head.IndexOf('~');
        if (tilde >= 0)
            head = head[..tilde];
        int dot = head.LastIndexOf('.');
        if (dot <= 2 || !_types.TryGetValue(head[2..dot], out var types))
            yield break;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (ReflectionDocumentationId.ForMethod(method) == documentationId)
                    yield return method;
            }
        }
    }
}
