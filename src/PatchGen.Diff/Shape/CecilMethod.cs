using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Cecil.Text;

namespace PatchGen.Diff.Shape;

/// <summary>A user-written method as the diff engine compares it (see <see cref="CecilType"/>); the static constructor included.</summary>
internal sealed class CecilMethod : BaselineMethod
{
    private string? _displayName;

    public CecilMethod(MethodDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        Id = DocumentationId.ForMethod(definition);
        Name = definition.Name;
        Signature = CallSiteSignature(renderer, definition);
        Dispatch = DispatchText(definition) + " overrides="
            + (definition.Overrides.Count == 0 ? ""
                : string.Join(",", definition.Overrides.Select(o => renderer.TypeName(o.DeclaringType) + "::" + o.Name).OrderBy(s => s, StringComparer.Ordinal)));
        NoBody = MetadataText.NoBody(definition);
        IsStaticConstructor = definition.IsConstructor && definition.IsStatic;
        IsAutoAccessor = PatchGen.Cecil.Methods.AutoPropertyAccessor.Is(definition);
        Accessibility = MetadataText.Accessibility(definition);
        Attributes = MetadataText.AttributesOfMethod(definition);
        ImplementationFlags = (int)definition.ImplAttributes;
        foreach (var parameter in definition.GenericParameters)
        {
            GenericParameters.Add(GenericParameterText(renderer, parameter));
            GenericParameterNames.Add(parameter.Name);
        }
        // Default values, like constants, are copied into callers: compared as exact typed constants.
        foreach (var parameter in definition.Parameters)
        {
            Defaults.Add(parameter.HasConstant ? ConstantText.Of(parameter.Constant) : "");
            DefaultDisplays.Add(parameter.HasConstant ? MetadataText.Constant(parameter.Constant) : "none");
        }
    }

    public MethodDefinition Definition { get; }

    public override string DisplayName
    {
        get => _displayName ??= DiffContext.DisplayName(Definition);
        set => _displayName = value;
    }

    public override string DeclaredName => CSharpName.Method(Definition);

    public override string NoBodyDisplay
    {
        get
        {
            if (Definition.IsPInvokeImpl)
                return "a P/Invoke";
            if (Definition.IsRuntime)
                return "runtime-implemented";
            if (Definition.IsInternalCall)
                return "an internal call";
            if (Definition.IsAbstract)
                return "abstract";
            return "extern";
        }
    }

    public override string PrototypeText(TextStyle style) => style switch
    {
        TextStyle.CSharp => CSharpName.Prototype(Definition),
        TextStyle.QualifiedCSharp => CSharpName.Prototype(Definition, qualified: true),
        _ => Signature,
    };

    public override string ParameterName(int index) => Definition.Parameters[index].Name;

    /// <summary>A generic parameter: its attributes (variance, special constraints) and its constraint types, sorted.</summary>
    public static string GenericParameterText(ClosureRenderer renderer, GenericParameter parameter)
        => ((int)parameter.Attributes).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":"
            + string.Join(",", parameter.Constraints.Select(c => renderer.TypeName(c.ConstraintType)).OrderBy(s => s, StringComparer.Ordinal));

    /// <summary>Everything a caller's call site depends on: static or instance, calling convention, return type, parameter types, ref kinds, custom modifiers.</summary>
    private static string CallSiteSignature(ClosureRenderer renderer, MethodDefinition method)
    {
        var builder = SpareStringBuilder.Take();
        builder.Append(method.IsStatic ? "static " : "instance ").Append(method.CallingConvention.ToString()).Append(' ');
        renderer.AppendTypeName(method.ReturnType, builder);
        builder.Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            var p = method.Parameters[i];
            if (i > 0)
                builder.Append(',');
            renderer.AppendTypeName(p.ParameterType, builder);
            builder.Append(p.IsOut ? " out" : "").Append(p.IsIn ? " in" : "");
        }
        return SpareStringBuilder.Release(builder.Append(')'));
    }

    private static string DispatchText(MethodDefinition method)
    {
        if (!method.IsVirtual)
            return "non-virtual";
        // The eight texts, not built each time: "abstract sealed new slot" and so on.
        return (method.IsAbstract, method.IsFinal, method.IsNewSlot) switch
        {
            (true, true, true) => "abstract sealed new slot",
            (true, true, false) => "abstract sealed override",
            (true, false, true) => "abstract new slot",
            (true, false, false) => "abstract override",
            (false, true, true) => "virtual sealed new slot",
            (false, true, false) => "virtual sealed override",
            (false, false, true) => "virtual new slot",
            (false, false, false) => "virtual override",
        };
    }
}
