using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Compares one user-written type present in both builds: its shape (kind, base type, interfaces,
/// modifiers, generic constraints), layout, accessibility and attributes, then its fields, methods,
/// properties and events.
/// </summary>
internal static class TypeComparer
{
    public static void Compare(DiffContext context, TypeDefinition b, TypeDefinition n)
    {
        var id = DocumentationId.ForType(n);
        var name = CSharpName.Type(n);
        // Located only if something about the type itself is reported, which for most types is nothing.
        SourceLocation? location = null;
        bool located = false;
        SourceLocation? Location()
        {
            if (!located)
                (location, located) = (context.NewSource.ForDeclaration(n), true);
            return location;
        }
        bool shapeChanged = false;

        void Shape(string what)
        {
            context.Report(DiagnosticCatalog.TypeShapeChanged, id, Location(), name, what);
            shapeChanged = true;
        }

        var (baseKind, newKind) = (Kind(b), Kind(n));
        if (baseKind != newKind)
        {
            Shape($"changed from {baseKind} to {newKind}");
            context.Change(id, ChangeKind.Changed);
            return; // Members of a type that is now something else entirely are not worth comparing.
        }

        var renderer = context.NewRenderer;
        var baseRenderer = context.BaseRenderer;
        string baseBase = b.BaseType is null ? "" : baseRenderer.TypeName(b.BaseType);
        string newBase = n.BaseType is null ? "" : renderer.TypeName(n.BaseType);
        if (baseBase != newBase)
            Shape($"base type changed from {Describe(b.BaseType)} to {Describe(n.BaseType)}");

        var baseInterfaces = b.Interfaces.Select(i => baseRenderer.TypeName(i.InterfaceType)).ToHashSet(StringComparer.Ordinal);
        var newInterfaces = n.Interfaces.Select(i => renderer.TypeName(i.InterfaceType)).ToHashSet(StringComparer.Ordinal);
        foreach (var added in n.Interfaces.Where(i => !baseInterfaces.Contains(renderer.TypeName(i.InterfaceType))))
            Shape("now implements " + CSharpName.Type(added.InterfaceType));
        foreach (var removed in b.Interfaces.Where(i => !newInterfaces.Contains(baseRenderer.TypeName(i.InterfaceType))))
            Shape("no longer implements " + CSharpName.Type(removed.InterfaceType));

        // An enum's storage is its underlying type: every value, field and array of it has that size.
        if (b.IsEnum && EnumStorage(b) is { } baseStorage && EnumStorage(n) is { } newStorage
            && baseRenderer.TypeName(baseStorage.FieldType) != renderer.TypeName(newStorage.FieldType))
            Shape($"underlying type changed from {CSharpName.Type(baseStorage.FieldType)} to {CSharpName.Type(newStorage.FieldType)}");

        if (b.IsAbstract != n.IsAbstract || b.IsSealed != n.IsSealed)
            Shape($"changed from {Modifiers(b)} to {Modifiers(n)}");

        if (GenericConstraints.Describe(baseRenderer, b, renderer, n) is { } generics)
        {
            context.Report(DiagnosticCatalog.GenericsChanged, id, Location(), name, generics);
            shapeChanged = true;
        }

        if (MetadataText.Accessibility(b) != MetadataText.Accessibility(n))
        {
            context.Report(DiagnosticCatalog.AccessibilityChanged, id, Location(), name, MetadataText.Accessibility(b), MetadataText.Accessibility(n));
            shapeChanged = true;
        }

        if (MetadataText.Describe(MetadataText.Attributes(b), MetadataText.Attributes(n)) is { } attributes)
        {
            context.Report(DiagnosticCatalog.AttributesChanged, id, Location(), name, attributes);
            shapeChanged = true;
        }

        if (Layout(b, n) is { } layout)
        {
            context.Report(DiagnosticCatalog.LayoutChanged, id, Location(), name, layout);
            shapeChanged = true;
        }

        if (shapeChanged)
            context.Change(id, ChangeKind.Changed);

        FieldComparer.Compare(context, b, n);
        var reportedAccessors = PropertyAndEventComparer.Compare(context, b, n);
        MethodComparer.Compare(context, b, n, reportedAccessors);
    }

    /// <summary>The instance field <c>value__</c> that holds an enum's value.</summary>
    internal static FieldDefinition? EnumStorage(TypeDefinition type)
        => type.IsEnum ? type.Fields.FirstOrDefault(f => !f.IsStatic && f.IsRuntimeSpecialName) : null;

    private static string Describe(TypeReference? type) => type is null ? "none" : CSharpName.Type(type);

    internal static string Kind(TypeDefinition type)
    {
        if (type.IsInterface)
            return "interface";
        if (type.IsEnum)
            return "enum";
        if (type.IsValueType)
            return "struct";
        if (type.BaseType?.FullName is "System.MulticastDelegate")
            return "delegate";
        return "class";
    }

    private static string Modifiers(TypeDefinition type) => (type.IsAbstract, type.IsSealed) switch
    {
        (true, true) => "static",
        (true, false) => "abstract",
        (false, true) => "sealed",
        _ => "neither abstract nor sealed",
    };

    /// <summary>StructLayout kind, pack and size; for sequential and explicit layout also field order.</summary>
    private static string? Layout(TypeDefinition b, TypeDefinition n)
    {
        if (b.IsInterface)
            return null;
        var parts = new List<string>();
        var (baseLayout, newLayout) = (LayoutKind(b), LayoutKind(n));
        if (baseLayout != newLayout)
            parts.Add($"layout kind {baseLayout} became {newLayout}");
        if (b.PackingSize != n.PackingSize)
            parts.Add($"pack {b.PackingSize} became {n.PackingSize}");
        if (b.ClassSize != n.ClassSize)
            parts.Add($"size {b.ClassSize} became {n.ClassSize}");
        if (newLayout != "auto" && baseLayout == newLayout)
        {
            var newNames = n.Fields.Where(f => !f.IsStatic).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var baseNames = b.Fields.Where(f => !f.IsStatic).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var baseOrder = b.Fields.Where(f => !f.IsStatic && newNames.Contains(f.Name)).Select(f => f.Name).ToList();
            var newOrder = n.Fields.Where(f => !f.IsStatic && baseNames.Contains(f.Name)).Select(f => f.Name).ToList();
            if (!baseOrder.SequenceEqual(newOrder, StringComparer.Ordinal))
                parts.Add("field order changed");
            if (newLayout == "explicit")
            {
                foreach (var field in n.Fields.Where(f => !f.IsStatic))
                {
                    var old = b.Fields.FirstOrDefault(f => f.Name == field.Name && !f.IsStatic);
                    if (old != null && old.Offset != field.Offset)
                        parts.Add($"field {field.Name} moved from offset {old.Offset} to {field.Offset}");
                }
            }
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string LayoutKind(TypeDefinition type)
        => type.IsExplicitLayout ? "explicit" : type.IsSequentialLayout ? "sequential" : "auto";
}
