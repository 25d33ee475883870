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
            if (IgnoredAttributes.Contains(type))
                continue;
            set.Add(type + "(" + Convert.ToHexString(attribute.GetBlob()) + ")");
        }
        return set;
    }

    /// <summary>All attributes of a method: its own, its return value's and its parameters'.</summary>
    public static SortedSet<string> AttributesOfMethod(MethodDefinition method)
    {
        var set = Attributes(method);
        foreach (var a in Attributes(method.MethodReturnType))
            set.Add("return:" + a);
        foreach (var parameter in method.Parameters)
        {
            foreach (var a in Attributes(parameter))
                set.Add("param " + parameter.Index.ToString(CultureInfo.InvariantCulture) + ":" + a);
        }
        return set;
    }

    /// <summary>Describes the difference of two attribute sets, for messages: <c>arguments of Obsolete, +Serializable, -Flags</c>.</summary>
    public static string? Describe(SortedSet<string> before, SortedSet<string> after)
    {
        if (before.SetEquals(after))
            return null;
        var added = after.Except(before).Select(ShortName).ToList();
        var removed = before.Except(after).Select(ShortName).ToList();
        // The same attribute on both sides with other arguments: "arguments of Obsolete", not "+Obsolete, -Obsolete".
        var changed = added.Intersect(removed, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var parts = new List<string>();
        parts.AddRange(changed.Select(a => "arguments of " + a));
        parts.AddRange(added.Where(a => !changed.Contains(a)).Select(a => "+" + a));
        parts.AddRange(removed.Where(a => !changed.Contains(a)).Select(a => "-" + a));
        return string.Join(", ", parts.Distinct());
    }

    private static string ShortName(string attribute)
    {
        var prefix = "";
        int colon = attribute.IndexOf(':', StringComparison.Ordinal);
        int paren = attribute.IndexOf('(', StringComparison.Ordinal);
        if (colon >= 0 && colon < paren)
        {
            prefix = attribute[..(colon + 1)];
            attribute = attribute[(colon + 1)..];
            paren = attribute.IndexOf('(', StringComparison.Ordinal);
        }
        var name = attribute[..paren];
        name = name[(name.LastIndexOf('.') + 1)..];
        if (name.EndsWith("Attribute", StringComparison.Ordinal))
            name = name[..^"Attribute".Length];
        return prefix + name;
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

    /// <summary>Exact equality of constants, including their type (1 and 1L differ, as do 0.0 and -0.0).</summary>
    public static bool SameConstant(object? a, object? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        if (a.GetType() != b.GetType())
            return false;
        return a switch
        {
            float f => BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)b),
            double d => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)b),
            _ => a.Equals(b),
        };
    }

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
        foreach (var parameter in method.Parameters.Where(p => p.HasMarshalInfo))
            text += "|" + parameter.Index + ":" + parameter.MarshalInfo.NativeType;
        if (method.MethodReturnType.HasMarshalInfo)
            text += "|return:" + method.MethodReturnType.MarshalInfo.NativeType;
        return text;
    }
}
