using System.Globalization;
using System.Text;
using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Cecil.TypeReferences;

namespace PatchGen.Diff.Baseline;

/// <summary>
/// Reads from metadata the parts of the manifest's comparable texts (<see cref="SignatureText"/>):
/// type texts in documentation-ID form, ref kinds as C# has them, dispatch, bodiless methods,
/// generic parameters. The analyzer reads the same parts from Roslyn symbols.
/// </summary>
internal static class CecilSignatures
{
    private const string IsReadOnly = "System.Runtime.CompilerServices.IsReadOnlyAttribute";
    private const string RequiresLocation = "System.Runtime.CompilerServices.RequiresLocationAttribute";
    private const string IsExternalInit = "System.Runtime.CompilerServices.IsExternalInit";
    private const string VolatileModifier = "System.Runtime.CompilerServices.IsVolatile";
    private const string UnmanagedType = "System.Runtime.InteropServices.UnmanagedType";

    /// <summary>A type in documentation-ID form, modifiers dropped (the ID writer's own rules).</summary>
    public static string Type(TypeReference type)
    {
        var builder = new StringBuilder();
        DocumentationId.AppendType(StripModifiers(type), builder);
        return builder.ToString();
    }

    public static TypeReference StripModifiers(TypeReference type) => TypeModifiers.Strip(type);

    public static bool HasRequiredModifier(TypeReference type, string modifier) => TypeModifiers.HasRequired(type, modifier);

    /// <summary>A parameter's ref kind and type.</summary>
    public static (string RefKind, string Type) Parameter(ParameterDefinition parameter)
    {
        var type = StripModifiers(parameter.ParameterType);
        if (type is not ByReferenceType byRef)
            return ("", Type(type));
        string refKind;
        if (parameter.IsOut)
            refKind = "out";
        else if (HasAttribute(parameter, RequiresLocation))
            refKind = "ref readonly";
        else if (HasAttribute(parameter, IsReadOnly) || (parameter.IsIn && HasRequiredModifier(parameter.ParameterType, "System.Runtime.InteropServices.InAttribute")))
            refKind = "in";
        else
            refKind = "ref";
        return (refKind, Type(byRef.ElementType));
    }

    /// <summary>A return value's (or property's) ref kind and type.</summary>
    public static (string RefKind, string Type) Return(TypeReference returnType, ICustomAttributeProvider attributes)
    {
        var type = StripModifiers(returnType);
        if (type is not ByReferenceType byRef)
            return ("", Type(type));
        return (HasAttribute(attributes, IsReadOnly) || HasRequiredModifier(returnType, "System.Runtime.InteropServices.InAttribute") ? "ref readonly" : "ref", Type(byRef.ElementType));
    }

    public static string Method(MethodDefinition method)
    {
        var (refKind, returnType) = Return(method.ReturnType, method.MethodReturnType);
        return SignatureText.Method(method.IsStatic, method.CallingConvention == MethodCallingConvention.VarArg, refKind, returnType,
            HasRequiredModifier(method.ReturnType, IsExternalInit), method.Parameters.Select(Parameter));
    }

    public static string Dispatch(MethodDefinition method)
        => SignatureText.Dispatch(method.IsVirtual, method.IsAbstract, method.IsFinal, method.IsNewSlot,
            method.Overrides.Select(o => Type(o.DeclaringType) + "::" + o.Name));

    public static string NoBody(MethodDefinition method)
    {
        if (method.HasBody)
            return "body";
        string kind = method.IsPInvokeImpl ? "pinvoke" : method.IsRuntime ? "runtime" : method.IsInternalCall ? "internalcall" : method.IsAbstract ? "abstract" : "extern";
        string? module = null, entryPoint = null;
        var options = new List<string>();
        if (method.HasPInvokeInfo)
        {
            var info = method.PInvokeInfo;
            module = info.Module.Name;
            entryPoint = info.EntryPoint;
            if (info.IsNoMangle)
                options.Add("exactspelling");
            if (info.IsCharSetAnsi) options.Add("charset=ansi");
            else if (info.IsCharSetUnicode) options.Add("charset=unicode");
            else if (info.IsCharSetAuto) options.Add("charset=auto");
            if (info.SupportsLastError)
                options.Add("setlasterror");
            if (info.IsCallConvCdecl) options.Add("callconv=cdecl");
            else if (info.IsCallConvStdCall) options.Add("callconv=stdcall");
            else if (info.IsCallConvThiscall) options.Add("callconv=thiscall");
            else if (info.IsCallConvFastcall) options.Add("callconv=fastcall");
            if (info.IsBestFitEnabled) options.Add("bestfit=on");
            else if (info.IsBestFitDisabled) options.Add("bestfit=off");
            if (info.IsThrowOnUnmappableCharEnabled) options.Add("throwonunmappable=on");
            else if (info.IsThrowOnUnmappableCharDisabled) options.Add("throwonunmappable=off");
            if (!method.ImplAttributes.HasFlag(MethodImplAttributes.PreserveSig))
                options.Add("preservesig=off");
        }
        var marshalling = new List<string>();
        foreach (var parameter in method.Parameters.Where(p => p.HasMarshalInfo))
            marshalling.Add("param" + parameter.Index.ToString(CultureInfo.InvariantCulture) + ":" + ((int)parameter.MarshalInfo.NativeType).ToString(CultureInfo.InvariantCulture));
        if (method.MethodReturnType.HasMarshalInfo)
            marshalling.Add("return:" + ((int)method.MethodReturnType.MarshalInfo.NativeType).ToString(CultureInfo.InvariantCulture));
        return SignatureText.NoBody(kind, module, entryPoint, options, marshalling);
    }

    public static string GenericParameter(GenericParameter parameter)
    {
        var attributes = (int)parameter.Attributes;
        string variance = (attributes & 3) switch { 1 => "out", 2 => "in", _ => "" };
        var special = new List<string>();
        var constraints = parameter.Constraints.Select(c => c.ConstraintType).ToList();
        if ((attributes & 4) != 0)
            special.Add("class");
        if ((attributes & 8) != 0)
        {
            var valueType = constraints.FirstOrDefault(c => StripModifiers(c).FullName == "System.ValueType");
            special.Add(valueType != null && HasRequiredModifier(valueType, UnmanagedType) ? "unmanaged" : "struct");
            if (valueType != null)
                constraints.Remove(valueType);
        }
        else if ((attributes & 16) != 0)
        {
            special.Add("new");
        }
        if ((attributes & 0x20) != 0)
            special.Add("allows ref struct");
        return SignatureText.GenericParameter(variance, special, constraints.Select(Type));
    }

    public static bool IsVolatile(FieldDefinition field) => HasRequiredModifier(field.FieldType, VolatileModifier);

    public static bool HasAttribute(ICustomAttributeProvider provider, string fullName)
        => provider.HasCustomAttributes && provider.CustomAttributes.Any(a => a.AttributeType.FullName == fullName);
}
