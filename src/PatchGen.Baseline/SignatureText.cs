using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace PatchGen.Baseline;

/// <summary>
/// The texts the manifest compares, composed here from parts that the manifest writer reads from
/// metadata (Cecil) and the analyzer reads from symbols (Roslyn), so both sides write them alike.
/// Type texts are in documentation-ID form (<c>System.Collections.Generic.List{System.Int32}</c>,
/// <c>`0</c>, <c>``0</c>, <c>System.Int32[]</c>, <c>System.Byte*</c>); <c>?</c> stands for a type
/// the analyzer could not bind, and any text containing it is not compared.
/// </summary>
internal static class SignatureText
{
    /// <summary>The text of a type that did not bind (the user is in the middle of an edit).</summary>
    public const string ErrorType = "?";

    public const string FunctionPointer = "fnptr";

    public static bool IsUnknown(string text) => text.IndexOf('?') >= 0;

    /// <summary><c>ref </c>, <c>out </c>, <c>in </c>, <c>ref readonly </c> or nothing.</summary>
    public static string RefKindPrefix(string refKind) => refKind.Length == 0 ? "" : refKind + " ";

    /// <summary>
    /// A method's prototype: <c>instance|static[ vararg] &lt;return&gt;[ init](&lt;param&gt;,...)</c>, each
    /// part with its ref kind prefix; <c>init</c> marks an init accessor (IsExternalInit on its return).
    /// </summary>
    public static string Method(bool isStatic, bool isVararg, string returnRefKind, string returnType, bool initOnly,
        IEnumerable<(string RefKind, string Type)> parameters)
    {
        var builder = new StringBuilder();
        builder.Append(isStatic ? "static" : "instance");
        if (isVararg)
            builder.Append(" vararg");
        builder.Append(' ').Append(RefKindPrefix(returnRefKind)).Append(returnType);
        if (initOnly)
            builder.Append(" init");
        builder.Append('(');
        bool first = true;
        foreach (var (refKind, type) in parameters)
        {
            if (!first)
                builder.Append(',');
            builder.Append(RefKindPrefix(refKind)).Append(type);
            first = false;
        }
        return builder.Append(')').ToString();
    }

    /// <summary>A property's or event's signature: <c>[static ]&lt;ref kind&gt;&lt;type&gt;</c>.</summary>
    public static string Member(bool isStatic, string refKind, string type)
        => (isStatic ? "static " : "") + RefKindPrefix(refKind) + type;

    /// <summary>
    /// A generic parameter: variance, special constraints and constraint types, sorted:
    /// <c>out|class,new|System.IComparable{`0}</c>. Special constraints are written as C# has them
    /// (<c>struct</c> and <c>unmanaged</c> imply neither <c>new</c> nor a System.ValueType constraint here).
    /// </summary>
    public static string GenericParameter(string variance, IEnumerable<string> special, IEnumerable<string> constraintTypes)
        => variance + "|" + string.Join(",", special.OrderBy(s => s, StringComparer.Ordinal))
            + "|" + string.Join(",", constraintTypes.OrderBy(s => s, StringComparer.Ordinal));

    /// <summary>
    /// Dispatch as metadata has it: <c>non-virtual</c>, or <c>virtual|abstract[ sealed] newslot|override</c>,
    /// then the explicit overrides (<c>&lt;interface text&gt;::&lt;method name&gt;</c>), sorted.
    /// </summary>
    public static string Dispatch(bool isVirtual, bool isAbstract, bool isFinal, bool isNewSlot, IEnumerable<string> overrides)
    {
        string text;
        if (!isVirtual)
        {
            text = "non-virtual";
        }
        else
        {
            text = (isAbstract ? "abstract" : "virtual") + (isFinal ? " sealed" : "") + (isNewSlot ? " newslot" : " override");
        }
        var list = overrides.OrderBy(s => s, StringComparer.Ordinal).ToList();
        return list.Count == 0 ? text : text + " overrides=" + string.Join(",", list);
    }

    public static bool IsVirtualDispatch(string dispatch) => !dispatch.StartsWith("non-virtual", StringComparison.Ordinal);

    /// <summary>The dispatch without its override list, for messages.</summary>
    public static string DispatchKind(string dispatch)
    {
        int at = dispatch.IndexOf(" overrides=", StringComparison.Ordinal);
        var kind = at < 0 ? dispatch : dispatch.Substring(0, at);
        return kind.Replace("newslot", "new slot");
    }

    /// <summary>
    /// What the runtime builds a method without an IL body from: its kind (abstract, runtime,
    /// internalcall, pinvoke, extern), then for a P/Invoke the module, entry point and import
    /// options, and any MarshalAs of its parameters and return value. <c>body</c> for an ordinary method.
    /// </summary>
    public static string NoBody(string kind, string? module, string? entryPoint, IEnumerable<string> options, IEnumerable<string> marshalling)
    {
        if (kind == "body")
            return "body";
        var builder = new StringBuilder(kind);
        if (module != null)
            builder.Append('|').Append(module).Append('|').Append(entryPoint).Append('|').Append(string.Join(",", options.OrderBy(s => s, StringComparer.Ordinal)));
        foreach (var m in marshalling)
            builder.Append('|').Append(m);
        return builder.ToString();
    }

    /// <summary>The kind part of a <see cref="NoBody"/> text, for messages.</summary>
    public static string NoBodyKind(string noBody)
    {
        int bar = noBody.IndexOf('|');
        var kind = bar < 0 ? noBody : noBody.Substring(0, bar);
        switch (kind)
        {
            case "pinvoke": return "a P/Invoke";
            case "runtime": return "runtime-implemented";
            case "internalcall": return "an internal call";
            case "abstract": return "abstract";
            default: return "extern";
        }
    }

    /// <summary>Field flags, comma-separated in a fixed order.</summary>
    public static string FieldFlags(bool isStatic, bool isReadOnly, bool isLiteral, bool isVolatile, bool isThreadStatic, bool isDecimalConstant)
    {
        var parts = new List<string>();
        if (isStatic) parts.Add("static");
        if (isReadOnly) parts.Add("readonly");
        if (isLiteral) parts.Add("literal");
        if (isVolatile) parts.Add("volatile");
        if (isThreadStatic) parts.Add("threadstatic");
        if (isDecimalConstant) parts.Add("decimalconst");
        return string.Join(",", parts);
    }

    /// <summary>Whether the comma-separated <paramref name="flags"/> contain <paramref name="flag"/> (without splitting: the diff engine asks this of every field).</summary>
    public static bool HasFlag(string flags, string flag)
    {
        for (int at = flags.IndexOf(flag, StringComparison.Ordinal); at >= 0; at = flags.IndexOf(flag, at + 1, StringComparison.Ordinal))
        {
            int end = at + flag.Length;
            if ((at == 0 || flags[at - 1] == ',') && (end == flags.Length || flags[end] == ','))
                return true;
        }
        return false;
    }

    /// <summary>Type modifiers as the diff engine names them (abstract and sealed: static).</summary>
    public static string TypeModifiers(bool isAbstract, bool isSealed)
    {
        if (isAbstract && isSealed)
            return "static";
        if (isAbstract)
            return "abstract";
        if (isSealed)
            return "sealed";
        return "none";
    }

    /// <summary>
    /// A struct's kind with its <c>readonly</c> and <c>ref</c> modifiers: part of the kind, not of
    /// <see cref="TypeModifiers"/>, since callers compiled against the struct depend on them (a
    /// by-ref-like struct never lives on the heap; a readonly one is passed without defensive copies).
    /// </summary>
    public static string StructKind(bool isReadOnly, bool isRefLike)
        => (isReadOnly ? "readonly " : "") + (isRefLike ? "ref " : "") + "struct";

    /// <summary>
    /// A fixed-size buffer's type: <c>fixed System.Byte[4]</c>. Its length is part of its type, as
    /// it is of the storage of every object that holds it (metadata keeps it on a generated struct
    /// that no reader compares, and Roslyn types the field as a pointer to the element).
    /// </summary>
    public static string FixedBuffer(string elementType, int length)
        => "fixed " + elementType + "[" + length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    public static string TypeModifiersDisplay(string modifiers) => modifiers == "none" ? "neither abstract nor sealed" : modifiers;
}
