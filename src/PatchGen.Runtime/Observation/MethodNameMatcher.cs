using System.Reflection;
using System.Text;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// Matches the runtime events' method names (type name text, method name, signature text) to
/// reflection. Conservative on purpose: the signature text and generic instantiations are ignored, so
/// a name matches every overload and every instantiation; a patcher that asks "could F be inlined
/// here?" gets a yes whenever the answer is not certainly no.
/// </summary>
internal static class MethodNameMatcher
{
    private const BindingFlags AllDeclared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>
    /// The event's type name without generic instantiation text, comparable to a generic definition's
    /// <see cref="Type.FullName"/>: <c>System.Collections.Generic.List`1[System.Int32]</c> becomes
    /// <c>System.Collections.Generic.List`1</c>, <c>A`1+B[System.Int32]</c> becomes <c>A`1+B</c>.
    /// </summary>
    public static string NormalizeTypeName(string eventTypeName)
    {
        if (eventTypeName.IndexOf('[') < 0)
        {
            return eventTypeName;
        }

        var result = new StringBuilder(eventTypeName.Length);
        int depth = 0;
        foreach (char c in eventTypeName)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    /// <summary>The key a declaring type is compared with: its generic definition's full name.</summary>
    public static string? TypeKey(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition().FullName : type.FullName;
    }

    /// <summary>Whether an event name could denote <paramref name="method"/> (any overload, any instantiation).</summary>
    public static bool Matches(EventMethodName name, MethodBase method)
    {
        return string.Equals(name.Name, method.Name, StringComparison.Ordinal) &&
               string.Equals(NormalizeTypeName(name.Namespace), TypeKey(method.DeclaringType), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every loaded method an event name could denote: all overloads of that name, in every loaded
    /// assembly that has a type of that name (the same type name in several load contexts, as a patch
    /// and the code it patches have, gives candidates in each). Empty when no loaded type has the name
    /// (for example <c>dynamicClass</c>, the runtime's name for DynamicMethod code).
    /// </summary>
    public static IReadOnlyList<MethodBase> FindCandidates(EventMethodName name)
    {
        string typeName = NormalizeTypeName(name.Namespace);
        var candidates = new List<MethodBase>();
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Type? type;
            try
            {
                type = assembly.GetType(typeName, throwOnError: false);
            }
            catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                continue;
            }

            if (type is null)
            {
                continue;
            }

            foreach (MemberInfo member in type.GetMember(name.Name, MemberTypes.Method | MemberTypes.Constructor, AllDeclared))
            {
                if (member is MethodBase method)
                {
                    candidates.Add(method);
                }
            }
        }

        return candidates;
    }
}
