using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Analyzers;

/// <summary>
/// Reads from Roslyn symbols the parts of the manifest's comparable texts (<see cref="SignatureText"/>)
/// as metadata will have them once compiled: the manifest writer reads the same parts from IL.
/// Where C# and metadata differ (a method that implements an interface is virtual and final in
/// metadata; a struct is sequential; <c>struct</c> constraints imply <c>new()</c>), this is where
/// the C# form is turned into the metadata form.
/// </summary>
internal static class SymbolSignatures
{
    public static string Type(ITypeSymbol type)
    {
        var builder = new StringBuilder();
        Append(type, builder);
        return builder.ToString();
    }

    private static void Append(ITypeSymbol type, StringBuilder builder)
    {
        switch (type)
        {
            case IErrorTypeSymbol _:
                builder.Append(SignatureText.ErrorType);
                return;
            case IArrayTypeSymbol array:
                Append(array.ElementType, builder);
                if (array.IsSZArray)
                {
                    builder.Append("[]");
                }
                else
                {
                    builder.Append('[');
                    for (int i = 0; i < array.Rank; i++)
                        builder.Append(i == 0 ? "0:" : ",0:");
                    builder.Append(']');
                }
                return;
            case IPointerTypeSymbol pointer:
                Append(pointer.PointedAtType, builder);
                builder.Append('*');
                return;
            case IFunctionPointerTypeSymbol _:
                // As in documentation IDs, a function pointer type is written as nothing.
                return;
            case ITypeParameterSymbol parameter:
                if (parameter.TypeParameterKind == TypeParameterKind.Method)
                {
                    builder.Append("``").Append(parameter.Ordinal.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    // Metadata numbers a nested type's parameters after those of its enclosing types.
                    int outer = 0;
                    for (var t = parameter.DeclaringType?.ContainingType; t != null; t = t.ContainingType)
                        outer += t.TypeParameters.Length;
                    builder.Append('`').Append((parameter.Ordinal + outer).ToString(CultureInfo.InvariantCulture));
                }
                return;
            case IDynamicTypeSymbol _:
                builder.Append("System.Object");
                return;
            case INamedTypeSymbol named:
                AppendNamed(named, builder);
                return;
            default:
                builder.Append(SignatureText.ErrorType);
                return;
        }
    }

    private static void AppendNamed(INamedTypeSymbol named, StringBuilder builder)
    {
        if (named.IsTupleType && named.TupleUnderlyingType is { } underlying)
            named = underlying;
        if (named.ContainingType != null)
        {
            AppendNamed(named.ContainingType, builder);
            builder.Append('.');
        }
        else if (named.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            builder.Append(ns.ToDisplayString()).Append('.');
        }
        // A file-local type by its own name, as documentation IDs name it (its metadata name carries a checksum of its file's path).
        builder.Append(StripArity(named.IsFileLocal ? named.Name : named.MetadataName));
        if (named.TypeArguments.Length > 0)
        {
            builder.Append('{');
            for (int i = 0; i < named.TypeArguments.Length; i++)
            {
                if (i > 0)
                    builder.Append(',');
                Append(named.TypeArguments[i], builder);
            }
            builder.Append('}');
        }
    }

    public static string StripArity(string name)
    {
        int tick = name.LastIndexOf('`');
        return tick > 0 ? name.Substring(0, tick) : name;
    }

    /// <summary>The metadata name of a type, nested types with '+' (what GetTypeByMetadataName takes).</summary>
    /// <remarks>A file-local type without the checksum of its file's path (<see cref="FileLocalNames.Stable"/>), as the writer has it.</remarks>
    public static string MetadataName(INamedTypeSymbol type)
    {
        if (type.ContainingType != null)
            return MetadataName(type.ContainingType) + "+" + type.MetadataName;
        var name = FileLocalNames.Stable(type.MetadataName);
        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    public static string RefKind(RefKind refKind)
    {
        switch (refKind)
        {
            case Microsoft.CodeAnalysis.RefKind.Ref: return "ref";
            case Microsoft.CodeAnalysis.RefKind.Out: return "out";
            case Microsoft.CodeAnalysis.RefKind.In: return "in";
            case Microsoft.CodeAnalysis.RefKind.RefReadOnlyParameter: return "ref readonly";
            default: return "";
        }
    }

    private static string ReturnRefKind(RefKind refKind)
        => refKind == Microsoft.CodeAnalysis.RefKind.Ref ? "ref" : refKind == Microsoft.CodeAnalysis.RefKind.RefReadOnly ? "ref readonly" : "";

    public static string Method(IMethodSymbol method)
        => SignatureText.Method(method.IsStatic, method.IsVararg, ReturnRefKind(method.RefKind), Type(method.ReturnType), method.IsInitOnly,
            method.Parameters.Select(p => (RefKind(p.RefKind), Type(p.Type))));

    public static string Property(IPropertySymbol property) => SignatureText.Member(property.IsStatic, ReturnRefKind(property.RefKind), Type(property.Type));

    public static string Event(IEventSymbol evt) => SignatureText.Member(evt.IsStatic, "", Type(evt.Type));

    /// <summary>Dispatch as metadata will have it (<see cref="SignatureText.Dispatch"/>).</summary>
    /// <param name="implementsInterface">Whether the method implicitly implements an interface member of its type.</param>
    public static string Dispatch(IMethodSymbol method, bool implementsInterface)
    {
        var overrides = method.ExplicitInterfaceImplementations.Select(i => Type(i.ContainingType) + "::" + i.MetadataName);
        var type = method.ContainingType;
        if (type.TypeKind == TypeKind.Interface)
        {
            if (method.IsAbstract)
                return SignatureText.Dispatch(true, true, false, true, overrides);
            if (method.IsVirtual)
                return SignatureText.Dispatch(true, false, false, true, overrides);
            return SignatureText.Dispatch(false, false, false, false, overrides);
        }
        if (method.IsStatic)
            return SignatureText.Dispatch(false, false, false, false, overrides);
        bool explicitImpl = method.ExplicitInterfaceImplementations.Length > 0;
        bool csharpVirtual = method.IsVirtual || method.IsAbstract || method.IsOverride;
        bool isVirtual = csharpVirtual || explicitImpl || implementsInterface;
        bool isFinal = method.IsSealed || (!csharpVirtual && (explicitImpl || implementsInterface));
        // An override with a covariant return type (a derived record's clone method) is a new slot
        // in metadata, with an explicit override of the method it overrides.
        bool covariant = method.IsOverride && method.OverriddenMethod is { } overridden
            && !SymbolEqualityComparer.Default.Equals(method.ReturnType, overridden.ReturnType);
        if (covariant)
            overrides = overrides.Append(Type(method.OverriddenMethod!.ContainingType) + "::" + method.OverriddenMethod.MetadataName);
        return SignatureText.Dispatch(isVirtual, method.IsAbstract, isVirtual && isFinal, isVirtual && (!method.IsOverride || covariant), overrides);
    }

    /// <summary>What a method without an IL body is built from (<see cref="SignatureText.NoBody"/>), or <c>body</c>.</summary>
    public static string NoBody(IMethodSymbol method)
    {
        var flags = method.MethodImplementationFlags;
        var dllImport = method.GetDllImportData();
        string kind;
        if (method.ContainingType.TypeKind == TypeKind.Delegate && method.MethodKind != MethodKind.StaticConstructor)
            kind = "runtime";
        else if (dllImport != null)
            kind = "pinvoke";
        else if ((flags & MethodImplAttributes.InternalCall) != 0)
            kind = "internalcall";
        else if ((flags & MethodImplAttributes.Runtime) != 0)
            kind = "runtime";
        else if (method.IsAbstract)
            kind = "abstract";
        else if (method.IsExtern)
            kind = "extern";
        else
            return "body";

        string? module = null, entryPoint = null;
        var options = new List<string>();
        if (dllImport != null)
        {
            module = dllImport.ModuleName;
            entryPoint = dllImport.EntryPointName ?? method.MetadataName;
            if (dllImport.ExactSpelling)
                options.Add("exactspelling");
            switch (dllImport.CharacterSet)
            {
                case System.Runtime.InteropServices.CharSet.Ansi: options.Add("charset=ansi"); break;
                case System.Runtime.InteropServices.CharSet.Unicode: options.Add("charset=unicode"); break;
                case System.Runtime.InteropServices.CharSet.Auto: options.Add("charset=auto"); break;
            }
            if (dllImport.SetLastError)
                options.Add("setlasterror");
            switch (dllImport.CallingConvention)
            {
                case System.Runtime.InteropServices.CallingConvention.Cdecl: options.Add("callconv=cdecl"); break;
                case System.Runtime.InteropServices.CallingConvention.StdCall: options.Add("callconv=stdcall"); break;
                case System.Runtime.InteropServices.CallingConvention.ThisCall: options.Add("callconv=thiscall"); break;
                case System.Runtime.InteropServices.CallingConvention.FastCall: options.Add("callconv=fastcall"); break;
            }
            if (dllImport.BestFitMapping is bool bestFit)
                options.Add(bestFit ? "bestfit=on" : "bestfit=off");
            if (dllImport.ThrowOnUnmappableCharacter is bool @throw)
                options.Add(@throw ? "throwonunmappable=on" : "throwonunmappable=off");
            if ((flags & MethodImplAttributes.PreserveSig) == 0)
                options.Add("preservesig=off");
        }
        var marshalling = new List<string>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            if (MarshalAs(method.Parameters[i].GetAttributes()) is { } native)
                marshalling.Add("param" + i.ToString(CultureInfo.InvariantCulture) + ":" + native);
        }
        if (MarshalAs(method.GetReturnTypeAttributes()) is { } returnNative)
            marshalling.Add("return:" + returnNative);
        return SignatureText.NoBody(kind, module, entryPoint, options, marshalling);
    }

    /// <summary>The unmanaged type of a MarshalAs attribute, as a number.</summary>
    public static string? MarshalAs(IEnumerable<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass?.ToDisplayString() != "System.Runtime.InteropServices.MarshalAsAttribute" || attribute.ConstructorArguments.Length != 1)
                continue;
            var value = attribute.ConstructorArguments[0].Value;
            if (value is null)
                return null;
            return Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        return null;
    }

    public static string GenericParameter(ITypeParameterSymbol parameter)
    {
        string variance = parameter.Variance == VarianceKind.Out ? "out" : parameter.Variance == VarianceKind.In ? "in" : "";
        var special = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
            special.Add("class");
        if (parameter.HasUnmanagedTypeConstraint)
            special.Add("unmanaged");
        else if (parameter.HasValueTypeConstraint)
            special.Add("struct");
        else if (parameter.HasConstructorConstraint)
            special.Add("new");
        if (parameter.AllowsRefLikeType)
            special.Add("allows ref struct");
        return SignatureText.GenericParameter(variance, special, parameter.ConstraintTypes.Select(Type));
    }

    /// <summary>
    /// The default value of a parameter as metadata stores it, or empty: a <c>decimal</c> or
    /// <c>DateTime</c> default is an attribute, not a constant.
    /// </summary>
    public static (string Text, string Display) Default(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
            return ("", "none");
        var type = parameter.Type;
        if (type.SpecialType == SpecialType.System_Decimal || type.SpecialType == SpecialType.System_DateTime)
            return ("", "none");
        var value = parameter.ExplicitDefaultValue;
        return (ConstantText.Of(value), ConstantText.Display(value));
    }

    public static bool HasAttribute(ISymbol symbol, string fullName)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == fullName);
}
