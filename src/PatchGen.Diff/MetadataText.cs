using System.Globalization;
using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>Canonical, comparable text for metadata that is not code: attributes, accessibility, constants.</summary>
internal static class MetadataText
{
    /// <summary>
    /// Attributes the compiler adds or moves on its own (nullable context, state machine markers,
    /// debugger hints on generated code): they change with unrelated edits and mean nothing to the
    /// running process, so they are not compared.
    /// </summary>
    private static readonly HashSet<string> IgnoredAttributes = new(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
        "System.Runtime.CompilerServices.NullableAttribute",
        "System.Runtime.CompilerServices.NullableContextAttribute",
        "System.Runtime.CompilerServices.NullablePublicOnlyAttribute",
        "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
        "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.IsReadOnlyAttribute",
        "System.Runtime.CompilerServices.IsByRefLikeAttribute",
        "System.Runtime.CompilerServices.IsUnmanagedAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.ScopedRefAttribute",
        "System.Runtime.CompilerServices.NativeIntegerAttribute",
        "System.Runtime.CompilerServices.DynamicAttribute",
        "System.Runtime.CompilerServices.ExtensionAttribute",
        "System.Runtime.CompilerServices.DecimalConstantAttribute",
        "System.Runtime.CompilerServices.DateTimeConstantAttribute",
        "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute",
        "System.Runtime.CompilerServices.PreserveBaseOverridesAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute",
        "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Reflection.DefaultMemberAttribute",
    };

    /// <summary>Attribute type names (without namespace) of a provider, each with its raw argument blob.</summary>
    public static SortedSet<string> Attributes(ICustomAttributeProvider provider)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (!provider.HasCustomAttributes)
            return set;
        foreach (var attribute in provider.CustomAttributes)
        {
            var type = attribute.AttributeType.FullName;
            if (IgnoredAttributes.Contains(type) || IsRefStructMarker(provider, attribute))
                continue;
            set.Add(type + "(" + Convert.ToHexString(attribute.GetBlob()) + ")");
        }
        return set;
    }

    /// <summary>
    /// The compiler marks every ref struct <c>[Obsolete("Types with embedded references are not
    /// supported in this version of your compiler.", true)]</c>, so that compilers that do not know
    /// ref structs refuse it: it says the struct is by-ref-like (compared as its kind), not what
    /// the user wrote.
    /// </summary>
    private static bool IsRefStructMarker(ICustomAttributeProvider provider, CustomAttribute attribute)
        => provider is TypeDefinition { IsValueType: true } type && attribute.AttributeType.FullName == "System.ObsoleteAttribute"
            && attribute.ConstructorArguments.Count == 2 && attribute.ConstructorArguments[0].Value is RefStructObsoleteMessage
            && type.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsByRefLikeAttribute");

    private const string RefStructObsoleteMessage = "Types with embedded references are not supported in this version of your compiler.";

    /// <summary>All attributes of a method: its own, its return value's and its parameters'.</summary>
    public static SortedSet<string> AttributesOfMethod(MethodDefinition method)
    {
        var set = Attributes(method);
        // Most return values and parameters have no attributes: no empty set is made for them.
        if (method.MethodReturnType.HasCustomAttributes)
        {
            foreach (var a in Attributes(method.MethodReturnType))
                set.Add("return:" + a);
        }
        foreach (var parameter in method.Parameters)
        {
            if (!parameter.HasCustomAttributes)
                continue;
            foreach (var a in Attributes(parameter))
                set.Add("param " + parameter.Index.ToString(CultureInfo.InvariantCulture) + ":" + a);
        }
        return set;
    }

    public static string Accessibility(MethodDefinition method) => (method.Attributes & MethodAttributes.MemberAccessMask) switch
    {
        MethodAttributes.Public => "public",
        MethodAttributes.Family => "protected",
        MethodAttributes.Assembly => "internal",
        MethodAttributes.FamORAssem => "protected internal",
        MethodAttributes.FamANDAssem => "private protected",
        _ => "private",
    };

    public static string Accessibility(FieldDefinition field) => (field.Attributes & FieldAttributes.FieldAccessMask) switch
    {
        FieldAttributes.Public => "public",
        FieldAttributes.Family => "protected",
        FieldAttributes.Assembly => "internal",
        FieldAttributes.FamORAssem => "protected internal",
        FieldAttributes.FamANDAssem => "private protected",
        _ => "private",
    };

    public static string Accessibility(TypeDefinition type) => (type.Attributes & TypeAttributes.VisibilityMask) switch
    {
        TypeAttributes.Public or TypeAttributes.NestedPublic => "public",
        TypeAttributes.NestedFamily => "protected",
        TypeAttributes.NotPublic or TypeAttributes.NestedAssembly => "internal",
        TypeAttributes.NestedFamORAssem => "protected internal",
        TypeAttributes.NestedFamANDAssem => "private protected",
        _ => "private",
    };

    /// <summary>A constant as C# would print it, for messages.</summary>
    public static string Constant(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        char c => "'" + c + "'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// What the runtime builds a method without an IL body from: implementation flags, P/Invoke
    /// import data (library, entry point, flags) and marshalling. "body" for an ordinary method.
    /// </summary>
    public static string NoBody(MethodDefinition method)
    {
        var text = method.HasBody ? "body" : method.ImplAttributes.ToString() + "|" + (method.Attributes & (MethodAttributes.PInvokeImpl | MethodAttributes.Abstract)).ToString();
        if (method.HasPInvokeInfo)
        {
            var info = method.PInvokeInfo;
            text += "|" + info.Module.Name + "|" + info.EntryPoint + "|" + info.Attributes;
        }
        foreach (var parameter in method.Parameters)
        {
            if (parameter.HasMarshalInfo)
                text += "|" + parameter.Index + ":" + parameter.MarshalInfo.NativeType;
        }
        if (method.MethodReturnType.HasMarshalInfo)
            text += "|return:" + method.MethodReturnType.MarshalInfo.NativeType;
        return text;
    }
}
