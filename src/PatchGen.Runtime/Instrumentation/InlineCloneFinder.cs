using System.Reflection;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// The site-less inline clone the instrumenter wrote of a method (site format 4, docs/patch-sites.md, "Inline
/// clones"): <c>&lt;PatchGen&gt;c$Name</c> beside it with the same parameters, or, for a constructor, the other
/// constructor of its type with the same parameters (the clone differs only by a <c>modopt</c> on its return type,
/// which C# cannot declare twice). A frame of the clone is a frame of the method's old body: the consistency model
/// counts it as inside the method (docs/consistency-model.md, "Inline clones").
/// </summary>
internal static class InlineCloneFinder
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    /// <summary>The clone of <paramref name="method"/>, or null when it has none.</summary>
    public static MethodBase? Of(MethodBase method)
    {
        if (method.DeclaringType is not { } type)
            return null;
        var parameters = Signature(method);
        if (method is ConstructorInfo)
            return method.IsStatic ? null : type.GetConstructors(Declared).FirstOrDefault(c => c.MetadataToken != method.MetadataToken && !c.IsStatic && Signature(c) == parameters);
        string name = PatchSiteFormat.InlineClonePrefix + method.Name;
        int arity = method.IsGenericMethodDefinition ? method.GetGenericArguments().Length : 0;
        return type.GetMethods(Declared).FirstOrDefault(m => m.Name == name && m.IsStatic == method.IsStatic
            && (m.IsGenericMethodDefinition ? m.GetGenericArguments().Length : 0) == arity && Signature(m) == parameters);
    }

    // Parameter types by their text: a clone's generic parameters are its own, named as the method's.
    private static string Signature(MethodBase method)
        => string.Join(",", method.GetParameters().Select(p => p.ParameterType.ToString()));
}
