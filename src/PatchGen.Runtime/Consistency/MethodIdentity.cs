using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// A method as stack frames and the JIT name it: by module and metadata token, so that every
/// instantiation of a generic method and every code version of any method are one identity.
/// </summary>
internal readonly record struct MethodIdentity(Module Module, int Token)
{
    public static MethodIdentity? Of(MethodBase? method)
    {
        if (method is null || method is System.Reflection.Emit.DynamicMethod || method.GetType().Name == "RTDynamicMethod")
            return null;
        try
        {
            return new MethodIdentity(method.Module, method.MetadataToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// What inlining events call a method, reduced to what is certain to match: the declaring type's full
    /// name without generic arguments (<c>Shop.Cart</c>, <c>Shop.Box`1</c>, nested types with '+') and the
    /// method name. Overloads share a key, which only makes the answer more cautious.
    /// </summary>
    public static string NameKey(MethodBase method)
    {
        var type = method.DeclaringType;
        if (type is { IsGenericType: true, IsGenericTypeDefinition: false })
            type = type.GetGenericTypeDefinition();
        return NameKey(type?.FullName ?? "", method.Name);
    }

    public static string NameKey(string typeFullName, string methodName)
        => Observation.MethodNameMatcher.NormalizeTypeName(typeFullName) + "::" + methodName;
}
