using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PatchGen.Baseline;

namespace PatchGen.Analyzers;

/// <summary>
/// Describes a type of the compilation as the manifest writer describes the compiled type: the
/// same members (those the compiler will emit, implicit ones included), the same texts, the same
/// reported IDs. The source fingerprints use the writer's own code (<see cref="SourceFingerprints"/>).
/// </summary>
internal static class SymbolDescriber
{
    private const string ThreadStatic = "System.ThreadStaticAttribute";
    private const string StructLayout = "System.Runtime.InteropServices.StructLayoutAttribute";
    private const string FieldOffset = "System.Runtime.InteropServices.FieldOffsetAttribute";
    private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";
    private const string InlineArray = "System.Runtime.CompilerServices.InlineArrayAttribute";

    public static CurrentType Describe(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).ToList();
        var typeDeclarations = declarations.OfType<TypeDeclarationSyntax>().ToList();
        var identifier = declarations.OfType<BaseTypeDeclarationSyntax>().Select(d => d.Identifier.GetLocation())
            .Concat(declarations.OfType<DelegateDeclarationSyntax>().Select(d => d.Identifier.GetLocation()))
            .FirstOrDefault() ?? type.Locations.FirstOrDefault() ?? Location.None;

        var model = new BaselineType
        {
            Id = type.GetDocumentationCommentId() ?? "",
            MetadataName = SymbolSignatures.MetadataName(type),
            Namespace = type.ContainingType is null && type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            DeclaringTypeId = type.ContainingType?.GetDocumentationCommentId() ?? "",
            Kind = Kind(type),
            Modifiers = Modifiers(type),
            BaseType = type.BaseType is null ? "" : SymbolSignatures.Type(type.BaseType),
            EnumUnderlyingType = type.EnumUnderlyingType is null ? "" : SymbolSignatures.Type(type.EnumUnderlyingType),
            DisplayName = SymbolNames.Of(type),
        };
        var current = new CurrentType(model, identifier);
        Layout(type, model);
        var interfaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declared in type.Interfaces)
        {
            interfaces.Add(SymbolSignatures.Type(declared));
            foreach (var inherited in declared.AllInterfaces)
                interfaces.Add(SymbolSignatures.Type(inherited));
        }
        model.Interfaces.AddRange(interfaces.OrderBy(s => s, StringComparer.Ordinal));
        model.GenericParameters.AddRange(type.TypeParameters.Select(SymbolSignatures.GenericParameter));
        model.GenericParameterNames.AddRange(type.TypeParameters.Select(p => p.Name));

        // Static initialization and LibraryImport stubs: the writer's code, over this type's declarations.
        model.StaticInitialization = SourceFingerprints.StaticInitialization(typeDeclarations);
        model.StaticInitializationWithout = fields => SourceFingerprints.StaticInitialization(typeDeclarations, fields);
        var firstInitializer = typeDeclarations.SelectMany(SourceFingerprints.StaticInitializers).FirstOrDefault();
        if (firstInitializer != null)
            current.StaticInitializationLocation = InitializerLocation(firstInitializer);

        var members = type.GetMembers();
        DescribeFields(type, members, current);
        DescribeEventFields(type, members, current);
        CapturedParameters.Add(type, typeDeclarations, compilation, current, cancellationToken);
        DescribeMethods(type, members, typeDeclarations, current);
        foreach (var property in members.OfType<IPropertySymbol>())
        {
            var accessors = new[] { property.GetMethod, property.SetMethod }.Where(a => a != null).Select(a => a!).ToList();
            var p = Member(property, property.MetadataName, SymbolSignatures.Property(property), accessors, current);
            model.Properties.Add(p);
        }
        foreach (var evt in members.OfType<IEventSymbol>())
        {
            var accessors = new[] { evt.AddMethod, evt.RemoveMethod, evt.RaiseMethod }.Where(a => a != null).Select(a => a!).ToList();
            model.Events.Add(Member(evt, evt.MetadataName, SymbolSignatures.Event(evt), accessors, current));
        }
        return current;
    }

    private static string Kind(INamedTypeSymbol type)
    {
        switch (type.TypeKind)
        {
            case TypeKind.Interface: return "interface";
            case TypeKind.Enum: return "enum";
            case TypeKind.Struct: return SignatureText.StructKind(type.IsReadOnly, type.IsRefLikeType);
            case TypeKind.Delegate: return "delegate";
            default: return "class";
        }
    }

    private static string Modifiers(INamedTypeSymbol type)
    {
        switch (type.TypeKind)
        {
            case TypeKind.Interface:
                return SignatureText.TypeModifiers(true, false);
            case TypeKind.Struct:
            case TypeKind.Enum:
            case TypeKind.Delegate:
                return SignatureText.TypeModifiers(false, true);
            default:
                return type.IsStatic ? SignatureText.TypeModifiers(true, true) : SignatureText.TypeModifiers(type.IsAbstract, type.IsSealed);
        }
    }

    /// <summary>StructLayout as written, else the compiler's default: sequential for structs, auto otherwise; an empty struct has size 1.</summary>
    private static void Layout(INamedTypeSymbol type, BaselineType model)
    {
        if (type.TypeKind == TypeKind.Interface)
            return;
        model.LayoutKind = type.TypeKind == TypeKind.Struct ? "sequential" : "auto";
        model.SerializesFields = type.GetAttributes().Any(a => a.AttributeClass is { } c && FieldSerializers.IsOne(c.ToDisplayString()));
        var attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == StructLayout);
        bool sizeGiven = false;
        if (attribute != null && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is object kind)
        {
            switch (Convert.ToInt32(kind, CultureInfo.InvariantCulture))
            {
                case 0: model.LayoutKind = "sequential"; break;
                case 2: model.LayoutKind = "explicit"; break;
                default: model.LayoutKind = "auto"; break;
            }
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Pack" && named.Value.Value is int pack)
                    model.Pack = pack;
                else if (named.Key == "Size" && named.Value.Value is int size)
                    (model.Size, sizeGiven) = (size, true);
            }
        }
        if (type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == InlineArray) is { } inlineArray
            && inlineArray.ConstructorArguments.Length == 1 && inlineArray.ConstructorArguments[0].Value is int length)
            model.InlineArrayLength = length;
        if (type.TypeKind == TypeKind.Struct && !sizeGiven && model.Size == 0
            && !type.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic))
            model.Size = 1;
    }

    private static void DescribeFields(INamedTypeSymbol type, IEnumerable<ISymbol> members, CurrentType current)
    {
        var typeName = SymbolNames.Of(type);
        foreach (var field in members.OfType<IFieldSymbol>())
        {
            bool isDecimalConstant = field.IsConst && field.Type.SpecialType == SpecialType.System_Decimal;
            bool isLiteral = field.IsConst && !isDecimalConstant;
            string constant = "", display = "";
            if (field.IsConst && field.HasConstantValue)
                (constant, display) = (ConstantText.Of(field.ConstantValue), ConstantText.Display(field.ConstantValue));
            string reportedId;
            string displayName;
            if (field.AssociatedSymbol is IPropertySymbol property)
            {
                reportedId = property.GetDocumentationCommentId() ?? "";
                displayName = GeneratedMemberNames.AutoProperty(typeName, property.Name);
            }
            else if (field.AssociatedSymbol is IEventSymbol evt)
            {
                reportedId = evt.GetDocumentationCommentId() ?? "";
                displayName = typeName + "." + field.Name;
            }
            else
            {
                reportedId = field.Name.StartsWith("<", StringComparison.Ordinal) ? current.Model.Id : field.GetDocumentationCommentId() ?? "";
                displayName = typeName + "." + field.Name;
            }
            int offset = -1;
            if (current.Model.LayoutKind == "explicit" && !field.IsStatic
                && field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == FieldOffset) is { } fieldOffset
                && fieldOffset.ConstructorArguments.Length == 1 && fieldOffset.ConstructorArguments[0].Value is int given)
                offset = given;
            current.Model.Fields.Add(new BaselineField
            {
                Name = field.MetadataName,
                ReportedId = reportedId,
                // A fixed-size buffer is typed as a pointer to its element; its length is part of its type, as the writer has it.
                Type = field.IsFixedSizeBuffer && field.Type is IPointerTypeSymbol pointer
                    ? SignatureText.FixedBuffer(SymbolSignatures.Type(pointer.PointedAtType), field.FixedSize)
                    : SymbolSignatures.Type(field.Type),
                Flags = SignatureText.FieldFlags(field.IsStatic || field.IsConst, field.IsReadOnly || isDecimalConstant, isLiteral, field.IsVolatile,
                    SymbolSignatures.HasAttribute(field, ThreadStatic), isDecimalConstant),
                Constant = constant,
                ConstantDisplay = display,
                Marshal = SymbolSignatures.MarshalAs(field.GetAttributes()) ?? "",
                Offset = offset,
                DisplayName = displayName,
            });
            var syntax = (field.AssociatedSymbol ?? field).DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
            current.Fields[field.MetadataName] = DeclarationLocation(syntax) ?? current.Location;
            var value = syntax is VariableDeclaratorSyntax v ? v.Initializer?.Value : syntax is EnumMemberDeclarationSyntax e ? e.EqualsValue?.Value : null;
            current.ConstantValues[field.MetadataName] = value?.GetLocation() ?? current.Fields[field.MetadataName];
        }
    }

    /// <summary>
    /// A field-like event is stored in a field of its name and type, which Roslyn lists under no
    /// member: added, it is new data (PG2001), reported under the event, as the diff engine does.
    /// </summary>
    private static void DescribeEventFields(INamedTypeSymbol type, IEnumerable<ISymbol> members, CurrentType current)
    {
        if (type.TypeKind == TypeKind.Interface)
            return;
        foreach (var evt in members.OfType<IEventSymbol>())
        {
            if (evt.IsAbstract || !(evt.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax declarator)
                || current.Model.Fields.Any(f => f.Name == evt.MetadataName))
                continue;
            current.Model.Fields.Add(new BaselineField
            {
                Name = evt.MetadataName,
                ReportedId = evt.GetDocumentationCommentId() ?? "",
                Type = SymbolSignatures.Type(evt.Type),
                Flags = SignatureText.FieldFlags(evt.IsStatic, false, false, false, SymbolSignatures.HasAttribute(evt, ThreadStatic), false),
                DisplayName = SymbolNames.Of(type) + "." + evt.Name,
            });
            current.Fields[evt.MetadataName] = declarator.Identifier.GetLocation();
        }
    }

    private static void DescribeMethods(INamedTypeSymbol type, IEnumerable<ISymbol> members, List<TypeDeclarationSyntax> typeDeclarations, CurrentType current)
    {
        var implementations = InterfaceImplementations(type);
        Dictionary<(string, string), string>? stubs = null;
        foreach (var method in members.OfType<IMethodSymbol>())
        {
            if (!IsEmitted(method))
                continue;
            var id = method.GetDocumentationCommentId() ?? "";
            var m = new BaselineMethod
            {
                Id = id,
                Name = method.MetadataName,
                Signature = SymbolSignatures.Method(method),
                Dispatch = SymbolSignatures.Dispatch(method, implementations.Contains(method)),
                NoBody = SymbolSignatures.NoBody(method),
                IsAutoAccessor = AutoPropertyAccessors.Is(method),
                DisplayName = method.Name == BaselineMethod.RecordClone ? GeneratedMemberNames.RecordClone(SymbolNames.Of(type)) : SymbolNames.Of(method),
                Prototype = SymbolNames.Prototype(method),
                // Only the method being edited has it (the manifest does not): the extended model's
                // SignatureHelperRule reads it; AccessibilityRule compares nothing with an unknown side.
                Accessibility = AccessibilityText(method.DeclaredAccessibility),
            };
            if (SymbolSignatures.HasAttribute(method, LibraryImport))
            {
                stubs ??= SourceFingerprints.LibraryImportStubs(typeDeclarations, current.Model.Id);
                m.StubFingerprint = stubs.TryGetValue((current.Model.Id, method.MetadataName), out var stub) ? stub : BaselineType.Unknown;
            }
            m.GenericParameters.AddRange(method.TypeParameters.Select(SymbolSignatures.GenericParameter));
            m.GenericParameterNames.AddRange(method.TypeParameters.Select(p => p.Name));
            m.ParameterNames.AddRange(method.Parameters.Select(p => p.Name));
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var (text, display) = SymbolSignatures.Default(method.Parameters[i]);
                m.Defaults.Add(text);
                m.DefaultDisplays.Add(display);
                if (method.Parameters[i].DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ParameterSyntax p && p.Default != null)
                    current.Defaults[(id, i)] = p.Default.Value.GetLocation();
            }
            current.Model.Methods.Add(m);
            current.Methods[id] = SignatureLocation(method) ?? current.Location;
        }
    }

    /// <summary>
    /// Whether the compiler emits the method as a user method of the type (what the writer lists):
    /// not the static constructor (compared as static initialization), not the parameterless
    /// constructor C# reports for every struct, not a partial method without an implementation.
    /// </summary>
    private static bool IsEmitted(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.StaticConstructor)
            return false;
        if (method.MethodKind == MethodKind.Constructor && method.IsImplicitlyDeclared && method.ContainingType.TypeKind == TypeKind.Struct && method.Parameters.Length == 0)
            return false;
        if (method.IsPartialDefinition && method.PartialImplementationPart is null)
            return false;
        if (method.Name.StartsWith("<", StringComparison.Ordinal) && method.Name != "<Main>$" && method.Name != "<Clone>$")
            return false;
        return true;
    }

    /// <summary>Methods of the type that implicitly implement an interface member (metadata makes them virtual).</summary>
    private static HashSet<IMethodSymbol> InterfaceImplementations(INamedTypeSymbol type)
    {
        var set = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (type.TypeKind == TypeKind.Interface)
            return set;
        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers())
            {
                if (member.IsStatic || !(member is IMethodSymbol))
                    continue;
                if (type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation
                    && SymbolEqualityComparer.Default.Equals(implementation.ContainingType, type))
                    set.Add(implementation);
            }
        }
        return set;
    }

    private static BaselineProperty Member(ISymbol member, string name, string signature, List<IMethodSymbol> accessors, CurrentType current)
    {
        var implementations = InterfaceImplementations(member.ContainingType);
        var id = member.GetDocumentationCommentId() ?? "";
        var p = new BaselineProperty
        {
            Id = id,
            Name = name,
            Signature = signature,
            IsVirtual = accessors.Any(a => SignatureText.IsVirtualDispatch(SymbolSignatures.Dispatch(a, implementations.Contains(a)))),
            DisplayName = SymbolNames.Of(member),
        };
        // What PG1001 says a property or event became (the manifest records no C# prototype to compare with).
        p.Prototype = signature + " " + p.DisplayName;
        p.Accessors.AddRange(accessors.Select(a => a.GetDocumentationCommentId() ?? ""));
        current.Members[id] = DeclarationLocation(member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax()) ?? current.Location;
        return p;
    }

    private static Location? DeclarationLocation(SyntaxNode? syntax)
    {
        switch (syntax)
        {
            case null: return null;
            case VariableDeclaratorSyntax v: return v.Identifier.GetLocation();
            case PropertyDeclarationSyntax p: return p.Identifier.GetLocation();
            case EventDeclarationSyntax e: return e.Identifier.GetLocation();
            case EnumMemberDeclarationSyntax m: return m.Identifier.GetLocation();
            case IndexerDeclarationSyntax i: return i.ThisKeyword.GetLocation();
            case ParameterSyntax p: return p.Identifier.GetLocation();
            default: return syntax.GetLocation();
        }
    }

    /// <summary>A method's signature: from its return type to its parameter list (its body is not the edit).</summary>
    private static Location? SignatureLocation(IMethodSymbol method)
    {
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        switch (syntax)
        {
            case MethodDeclarationSyntax m:
                return Location.Create(m.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(m.ReturnType.SpanStart, m.ParameterList.Span.End));
            case ConstructorDeclarationSyntax c:
                return Location.Create(c.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(c.Identifier.SpanStart, c.ParameterList.Span.End));
            case OperatorDeclarationSyntax o:
                return Location.Create(o.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(o.ReturnType.SpanStart, o.ParameterList.Span.End));
            case ConversionOperatorDeclarationSyntax c:
                return Location.Create(c.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(c.Type.SpanStart, c.ParameterList.Span.End));
            case AccessorDeclarationSyntax a:
                return a.Keyword.GetLocation();
            case LocalFunctionStatementSyntax l:
                return l.Identifier.GetLocation();
            case DelegateDeclarationSyntax d:
                return d.Identifier.GetLocation();
            case null:
                return null;
            default:
                return DeclarationLocation(syntax);
        }
    }

    private static Location InitializerLocation(MemberDeclarationSyntax member)
    {
        switch (member)
        {
            case BaseFieldDeclarationSyntax f:
                var initializer = f.Declaration.Variables.Select(v => v.Initializer).FirstOrDefault(i => i != null);
                return (initializer ?? (SyntaxNode)f).GetLocation();
            case PropertyDeclarationSyntax p when p.Initializer != null:
                return p.Initializer.GetLocation();
            case ConstructorDeclarationSyntax c:
                return Location.Create(c.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(c.Modifiers.Span.Start, c.ParameterList.Span.End));
            default:
                return member.GetLocation();
        }
    }

    /// <summary>C# accessibility as the diff engine's reader writes it (<c>MetadataText.Accessibility</c>).</summary>
    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Protected => "protected",
        Accessibility.Internal => "internal",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
