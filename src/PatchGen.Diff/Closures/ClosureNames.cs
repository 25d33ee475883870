using System.Text;
using Mono.Cecil;
using PatchGen.Cecil.TypeReferences;

namespace PatchGen.Diff.Closures;

/// <summary>
/// How a closure text names types, methods and fields: by resolved name, never by token, and
/// compiler-generated ones by their canonical ID (<see cref="CanonicalIds"/>), anonymous types by
/// their property names. The shape comparers name types the same way, so that a field whose type is
/// a closure class compares by what the class is, not by the compiler's ordinal in its name.
/// </summary>
internal sealed class ClosureNames
{
    private readonly ModuleDefinition _module;
    private readonly TypeWriter _types;
    private readonly Dictionary<FieldDefinition, string> _fieldNames = new(ReferenceEqualityComparer.Instance);

    public ClosureNames(ModuleDefinition module)
    {
        _module = module;
        _types = new TypeWriter(this);
    }

    public CanonicalIds Ids { get; } = new();

    public string TypeName(TypeReference type) => _types.Write(type);

    public StringBuilder AppendType(TypeReference type, StringBuilder builder) => _types.Walk(type, builder);

    /// <summary><c>instance R(P1,P2) generic=n</c>: what a method is called with.</summary>
    public StringBuilder AppendSignature(IMethodSignature method, StringBuilder builder)
    {
        if (method.HasThis)
            builder.Append("instance ");
        AppendType(method.ReturnType, builder);
        builder.Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            AppendType(method.Parameters[i].ParameterType, builder);
        }
        builder.Append(')');
        if (method is MethodDefinition { HasGenericParameters: true } definition)
            builder.Append(" generic=").Append(definition.GenericParameters.Count);
        return builder;
    }

    /// <summary>A method of a generated type: by ID if its name is the compiler's, else by name.</summary>
    public StringBuilder AppendMethodName(MethodDefinition method, StringBuilder builder)
        => GeneratedCode.IsGeneratedName(method.Name) && !GeneratedCode.IsUserMethod(method) ? Ids.Append(method, render: false, builder) : builder.Append(method.Name);

    /// <summary>A field of a generated type: the lambda cache's by ID (their names carry ordinals), others by <see cref="FieldName"/>.</summary>
    public StringBuilder AppendFieldName(FieldDefinition field, StringBuilder builder)
        => IsLambdaCache(field.DeclaringType) ? Ids.Append(field, render: false, builder) : builder.Append(FieldName(field));

    /// <summary>
    /// A field as closure texts name it. The fields of closure classes and state machines that hold
    /// a captured or hoisted variable are named after it (<c>x</c>, <c>&lt;x&gt;5__2</c>,
    /// <c>&lt;&gt;3__x</c>): renaming the variable would change the text of every method that uses
    /// it, so they go by position instead (<c>$0</c>, <c>&lt;&gt;5__2</c>, <c>&lt;&gt;3__$0</c>). A
    /// real change of what is captured still shows in the code that fills the field.
    /// </summary>
    public string FieldName(FieldDefinition field)
    {
        var type = field.DeclaringType;
        if (type is null || GeneratedCode.IsUserType(type) || GeneratedCode.IsSharedGeneratedType(type))
            return field.Name;
        if (!_fieldNames.TryGetValue(field, out var name))
        {
            name = PositionalName(field);
            _fieldNames.Add(field, name);
        }
        return name;
    }

    private static string PositionalName(FieldDefinition field)
    {
        var name = field.Name;
        // A hoisted local, <x>5__2: its slot number stays, its name goes.
        int close = name.IndexOf('>', StringComparison.Ordinal);
        if (name.Length > 0 && name[0] == '<' && close > 1 && name.AsSpan(close).StartsWith(">5__", StringComparison.Ordinal))
            return "<>" + name[(close + 1)..];
        // An iterator parameter's initial value, <>3__x: after the parameter's field.
        const string proxy = "<>3__";
        if (name.StartsWith(proxy, StringComparison.Ordinal))
            return CapturedOrdinal(field.DeclaringType, name[proxy.Length..]) is { } of ? proxy + of : name;
        return CapturedOrdinal(field.DeclaringType, name) ?? name;
    }

    /// <summary><c>$n</c> for the n-th field (in declaration order) of <paramref name="type"/> named by the user, if <paramref name="name"/> is one.</summary>
    private static string? CapturedOrdinal(TypeDefinition type, string name)
    {
        if (!IsUserVariableName(name))
            return null;
        int ordinal = 0;
        foreach (var field in type.Fields)
        {
            if (field.Name == name)
                return "$" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (IsUserVariableName(field.Name))
                ordinal++;
        }
        return null;
    }

    /// <summary>Not a compiler's name (<c>&lt;&gt;4__this</c>, <c>CS$&lt;&gt;8__locals1</c>): a captured variable's or parameter's own.</summary>
    private static bool IsUserVariableName(string name)
        => name.Length > 0 && !GeneratedCode.IsGeneratedName(name) && !name.StartsWith("CS$", StringComparison.Ordinal);

    /// <summary>The definition of a type of this module, whatever wraps it (arrays, generic instances); null for other modules'.</summary>
    public TypeDefinition? OwnDefinition(TypeReference type)
    {
        var element = type.GetElementType();
        return element is TypeDefinition definition && definition.Module == _module ? definition : null;
    }

    /// <summary><c>&lt;&gt;c</c>: the class of a type's lambdas that capture nothing.</summary>
    public static bool IsLambdaCache(TypeDefinition type) => type.Name == GeneratedCode.LambdaCacheClass;

    /// <summary>Anonymous types by their property names; other shared generated types by their (stable) names.</summary>
    private static string SharedGeneratedTypeName(TypeDefinition type)
    {
        if (type.DeclaringType is null && type.Name.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
            return "<anonymous{" + string.Join(",", type.GenericParameters.Select(p => p.Name)) + "}>";
        if (type.DeclaringType is { } outer)
            return SharedGeneratedTypeName(outer) + "/" + type.Name;
        return type.FullName;
    }

    /// <summary>The canonical closure's type forms, except that this module's generated types go by canonical name.</summary>
    private sealed class TypeWriter(ClosureNames names) : TypeNameWriter
    {
        protected override StringBuilder Named(TypeReference type, StringBuilder builder)
        {
            if (names.OwnDefinition(type) is not { } own || GeneratedCode.IsUserType(own))
                return base.Named(type, builder);
            if (GeneratedCode.IsSharedGeneratedType(own))
                return builder.Append(SharedGeneratedTypeName(own));
            // The lambda cache is shared by every method of its type: its methods are owned one by one.
            if (IsLambdaCache(own))
                return Walk(own.DeclaringType, builder).Append("/<>c");
            return names.Ids.Append(own, render: true, builder);
        }
    }
}
