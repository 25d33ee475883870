using Mono.Cecil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// Types, methods and fields as golden text: Cecil's full names (declaring type and signature), with
/// the declaring type prefixed by <c>[assembly]</c> when it lives in another assembly. The prefix is
/// what tells a patch's call into the live base (<c>[Base]Shop.Cart::Total</c>) from a call to the
/// patch's own copy (<c>Shop.Cart::Total</c>); types inside signatures stay unprefixed to keep lines short.
/// Never a metadata token: tokens move whenever anything is added to the module.
/// </summary>
public static class MemberText
{
    public static string Type(TypeReference type) => Scope(type) + type.FullName;

    public static string Method(MethodReference method)
    {
        // Cecil's FullName is "<return type> <declaring type>::<name><generic arguments>(<parameters>)":
        // the scope goes in front of the declaring type, after the return type.
        return WithScope(method.FullName, method.ReturnType.FullName, method.DeclaringType);
    }

    public static string Field(FieldReference field) => WithScope(field.FullName, field.FieldType.FullName, field.DeclaringType);

    private static string WithScope(string fullName, string typePart, TypeReference declaringType)
    {
        string scope = Scope(declaringType);
        if (scope.Length == 0 || !fullName.StartsWith(typePart + " ", StringComparison.Ordinal))
            return fullName;
        return typePart + " " + scope + fullName[(typePart.Length + 1)..];
    }

    /// <summary>A <c>calli</c> signature: its calling convention when not the default, then Cecil's "R(P0,...)".</summary>
    public static string CallSite(CallSite site)
    {
        string convention = site.CallingConvention == MethodCallingConvention.Default ? "" : site.CallingConvention.ToString().ToLowerInvariant() + " ";
        string instance = site.HasThis ? "instance " + (site.ExplicitThis ? "explicit " : "") : "";
        return instance + convention + site.FullName;
    }

    /// <summary>
    /// "[Name]" for a type of another assembly, "" for one of the module being read (and for generic
    /// parameters, which belong to whatever declares them).
    /// </summary>
    public static string Scope(TypeReference type)
    {
        var element = type.GetElementType();
        if (element is GenericParameter)
            return "";
        return element.Scope switch
        {
            AssemblyNameReference assembly => "[" + assembly.Name + "]",
            ModuleReference module and not ModuleDefinition => "[.module " + module.Name + "]",
            _ => "",
        };
    }
}
