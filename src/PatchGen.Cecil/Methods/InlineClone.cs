using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Cecil.Methods;

/// <summary>
/// Site format 4 (<see cref="PatchSiteFormat.InlineClonePrefix"/>, docs/patch-sites.md "Inline clones"):
/// the shape of a site-less clone of a small method, defined once for the instrumenter that writes it, the diff
/// engine that removes it again and the harness that measures it.
/// </summary>
internal static class InlineClone
{
    /// <summary>A clone: <c>&lt;PatchGen&gt;c$Name</c>, or a <c>.ctor</c> whose return type carries <c>modopt(&lt;PatchGen&gt;Sites)</c>.</summary>
    public static bool Is(MethodDefinition method)
        => method.Name.StartsWith(PatchSiteFormat.InlineClonePrefix, StringComparison.Ordinal)
            || (method.IsConstructor && method.ReturnType is OptionalModifierType { ModifierType.Name: PatchSiteFormat.SitesTypeName });

    /// <summary>The name of the original method of a clone named <paramref name="cloneName"/>.</summary>
    public static string OriginalName(string cloneName)
        => cloneName.StartsWith(PatchSiteFormat.InlineClonePrefix, StringComparison.Ordinal) ? cloneName[PatchSiteFormat.InlineClonePrefix.Length..] : cloneName;

    /// <summary>
    /// <paramref name="reference"/> (a call's operand: a definition, a member of a generic instance, a generic
    /// method instance) with <paramref name="target"/>, another method of the same type with the same parameters, in
    /// its place; instantiation and generic arguments kept.
    /// </summary>
    public static MethodReference Retarget(MethodReference reference, MethodDefinition target)
    {
        switch (reference)
        {
            case MethodDefinition:
                return target;
            case GenericInstanceMethod instance:
                var generic = new GenericInstanceMethod(Retarget(instance.ElementMethod, target));
                foreach (var argument in instance.GenericArguments)
                    generic.GenericArguments.Add(argument);
                return generic;
            default:
                return MethodReferenceCopy.With(reference, target.Name, target.IsConstructor ? target.ReturnType : reference.ReturnType, reference.DeclaringType);
        }
    }
}
