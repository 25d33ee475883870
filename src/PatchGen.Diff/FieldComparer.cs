using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Fields of a type present in both builds (PG2001, PG2002, PG2003, PG2005). Live objects already
/// have their layout, so storage cannot be added, removed or retyped; constants are compiled into
/// their callers, so their values cannot change.
/// </summary>
internal static class FieldComparer
{
    private const string ThreadStatic = "System.ThreadStaticAttribute";
    private const string DecimalConstant = "System.Runtime.CompilerServices.DecimalConstantAttribute";

    public static void Compare(DiffContext context, TypeDefinition b, TypeDefinition n)
    {
        var baseFields = b.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var newFields = n.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var typeName = CSharpName.Type(n);

        foreach (var field in n.Fields)
        {
            // An enum's value__ is its underlying type, compared with the type's shape (PG1004).
            if (field == TypeComparer.EnumStorage(n))
                continue;
            if (baseFields.TryGetValue(field.Name, out var old))
            {
                CompareField(context, old, field);
                continue;
            }
            var id = DiffContext.ReportedId(field);
            var location = context.NewSource.ForDeclaration(field);
            if (IsConstant(field))
            {
                // A new constant has no storage: its value is compiled into the new code that uses it.
                context.Report(DiagnosticCatalog.MemberAdded, id, location, "constant " + DiffContext.DisplayName(field));
            }
            else
            {
                context.Report(DiagnosticCatalog.FieldAdded, id, location, DiffContext.DisplayName(field), typeName);
            }
            context.Change(id, ChangeKind.Added);
        }

        foreach (var field in b.Fields)
        {
            if (newFields.ContainsKey(field.Name))
                continue;
            var id = DiffContext.ReportedId(field);
            var location = context.BaseSource.ForDeclaration(field);
            if (IsConstant(field))
                context.Report(DiagnosticCatalog.MemberRemoved, id, location, "constant " + DiffContext.DisplayName(field));
            else
                context.Report(DiagnosticCatalog.FieldRemoved, id, location, DiffContext.DisplayName(field), typeName);
            context.Change(id, ChangeKind.Removed);
        }
    }

    private static bool IsConstant(FieldDefinition field) => field.IsLiteral || HasAttribute(field, DecimalConstant);

    private static void CompareField(DiffContext context, FieldDefinition b, FieldDefinition n)
    {
        // ID, name and location are made only if something is reported: nearly every field of a large
        // assembly is unchanged (as for methods, see MethodComparer.CompareMethod).
        string? id = null, name = null;
        string Id() => id ??= DiffContext.ReportedId(n);
        string Name() => name ??= DiffContext.DisplayName(n);
        SourceLocation? location = null;
        bool located = false;
        SourceLocation? Location()
        {
            if (!located)
                (location, located) = (context.NewSource.ForDeclaration(n), true);
            return location;
        }
        bool changed = false;

        void FieldChanged(string what)
        {
            context.Report(DiagnosticCatalog.FieldChanged, Id(), Location(), Name(), what);
            changed = true;
        }

        var baseType = context.BaseRenderer.TypeName(b.FieldType);
        var newType = context.NewRenderer.TypeName(n.FieldType);
        // A constant has no storage to retype: its type is part of the value copied into callers,
        // and is reported with it (PG2005).
        bool constants = b.IsLiteral && n.IsLiteral;
        if (baseType != newType && !constants)
        {
            bool volatileOnly = StripVolatile(baseType) == StripVolatile(newType);
            if (volatileOnly)
            {
                FieldChanged(newType.Contains(VolatileModifier, StringComparison.Ordinal) ? "to volatile" : "to not volatile");
            }
            else
            {
                var (was, now) = TypeTexts(b.FieldType, n.FieldType, baseType, newType);
                FieldChanged($"type from {was} to {now}");
            }
        }
        if (b.IsStatic != n.IsStatic)
            FieldChanged(n.IsStatic ? "from instance to static" : "from static to instance");
        if (b.IsInitOnly != n.IsInitOnly)
            FieldChanged(n.IsInitOnly ? "to readonly" : "to not readonly");
        if (b.IsLiteral != n.IsLiteral)
            FieldChanged(n.IsLiteral ? "to const" : "from const to a stored field");
        if (MarshalText(b) != MarshalText(n))
            FieldChanged("marshalling");
        if (HasAttribute(b, ThreadStatic) != HasAttribute(n, ThreadStatic))
            FieldChanged(HasAttribute(n, ThreadStatic) ? "to thread-static" : "to not thread-static");

        if (b.IsLiteral && n.IsLiteral && !MetadataText.SameConstant(b.Constant, n.Constant)
            && !SameEnumValue(b, n))
        {
            var (was, now) = (MetadataText.Constant(b.Constant), MetadataText.Constant(n.Constant));
            if (baseType != newType || was == now)
            {
                var (wasType, nowType) = baseType != newType
                    ? TypeTexts(b.FieldType, n.FieldType, baseType, newType)
                    : (CSharpName.Type(b.FieldType), CSharpName.Type(n.FieldType));
                (was, now) = ($"{was} ({wasType})", $"{now} ({nowType})");
            }
            context.Report(DiagnosticCatalog.ConstantChanged, Id(), Location(), Name(), was, now);
            changed = true;
        }
        if (DecimalValue(b) is { } oldDecimal && DecimalValue(n) is { } newDecimal && oldDecimal != newDecimal)
        {
            context.Report(DiagnosticCatalog.ConstantChanged, Id(), Location(), Name(), oldDecimal, newDecimal);
            changed = true;
        }

        if (MetadataText.Accessibility(b) != MetadataText.Accessibility(n))
        {
            context.Report(DiagnosticCatalog.AccessibilityChanged, Id(), Location(), Name(), MetadataText.Accessibility(b), MetadataText.Accessibility(n));
            changed = true;
        }

        var attributes = MetadataText.Describe(WithoutThreadStatic(MetadataText.Attributes(b)), WithoutThreadStatic(MetadataText.Attributes(n)));
        if (attributes != null)
        {
            context.Report(DiagnosticCatalog.AttributesChanged, Id(), Location(), Name(), attributes);
            changed = true;
        }

        if (changed)
            context.Change(Id(), ChangeKind.Changed);
    }

    /// <summary>
    /// An enum member keeps its value when only the enum's underlying type changed (Low = 1 as a byte,
    /// then as an int): that is the enum's shape change (PG1004), not "Low changed from 1 to 1".
    /// </summary>
    private static bool SameEnumValue(FieldDefinition b, FieldDefinition n)
    {
        if (!b.DeclaringType.IsEnum || !n.DeclaringType.IsEnum || b.Constant is null || n.Constant is null)
            return false;
        try
        {
            return Convert.ToDecimal(b.Constant, System.Globalization.CultureInfo.InvariantCulture)
                == Convert.ToDecimal(n.Constant, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// A field's two types in C#; namespace-qualified when both read the same in C# (a type moved to
    /// another namespace), and as canonical metadata names when even that is not enough.
    /// </summary>
    private static (string Was, string Now) TypeTexts(TypeReference b, TypeReference n, string baseCanonical, string newCanonical)
    {
        var (was, now) = (CSharpName.Type(b), CSharpName.Type(n));
        if (was == now)
            (was, now) = (CSharpName.Type(b, qualified: true), CSharpName.Type(n, qualified: true));
        if (was == now)
            (was, now) = (baseCanonical, newCanonical);
        return (was, now);
    }

    private const string VolatileModifier = "modreq(System.Runtime.CompilerServices.IsVolatile)";

    private static string StripVolatile(string type) => type.Replace(" " + VolatileModifier, "", StringComparison.Ordinal);

    private static string MarshalText(FieldDefinition field)
        => field.HasMarshalInfo ? field.MarshalInfo.NativeType.ToString() + ":" + field.MarshalInfo.GetType().Name : "";

    private static bool HasAttribute(FieldDefinition field, string fullName)
        => field.HasCustomAttributes && field.CustomAttributes.Any(a => a.AttributeType.FullName == fullName);

    private static SortedSet<string> WithoutThreadStatic(SortedSet<string> attributes)
    {
        attributes.RemoveWhere(a => a.StartsWith(ThreadStatic + "(", StringComparison.Ordinal));
        return attributes;
    }

    /// <summary>A <c>const decimal</c> is stored as a static field with its value in a DecimalConstant attribute.</summary>
    private static string? DecimalValue(FieldDefinition field)
    {
        var attribute = field.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == DecimalConstant);
        if (attribute is null || attribute.ConstructorArguments.Count != 5)
            return null;
        try
        {
            var args = attribute.ConstructorArguments.Select(a => Convert.ToInt64(a.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var value = new decimal((int)(uint)args[4], (int)(uint)args[3], (int)(uint)args[2], args[1] != 0, (byte)args[0]);
            return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or ArgumentException)
        {
            return Convert.ToHexString(attribute.GetBlob());
        }
    }
}
