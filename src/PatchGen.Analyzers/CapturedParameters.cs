using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PatchGen.Baseline;

namespace PatchGen.Analyzers;

/// <summary>
/// A primary-constructor parameter that a member of a class or struct uses outside the
/// initializers is captured by the compiler in a hidden field (<c>&lt;name&gt;P</c>): storage
/// live objects do not have, which the diff engine reports under the type (PG2001). Roslyn has
/// no symbol for that field, so it is found here from the parameter's uses.
/// </summary>
internal static class CapturedParameters
{
    public static void Add(INamedTypeSymbol type, List<TypeDeclarationSyntax> declarations, Compilation compilation, CurrentType current, CancellationToken cancellationToken)
    {
        if (type.IsRecord || !(type.TypeKind == TypeKind.Class || type.TypeKind == TypeKind.Struct))
            return;
        var primary = declarations.FirstOrDefault(d => d.ParameterList != null);
        if (primary is null)
            return;
        var constructor = type.InstanceConstructors.FirstOrDefault(c =>
            c.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == primary.SyntaxTree && r.Span == primary.Span));
        if (constructor is null || constructor.Parameters.Length == 0)
            return;
        var names = new HashSet<string>(constructor.Parameters.Select(p => p.Name));
        var captured = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        foreach (var declaration in declarations)
        {
            var model = compilation.GetSemanticModel(declaration.SyntaxTree);
            foreach (var member in declaration.Members)
            {
                // Initializers run in the constructor, where the parameter is a parameter, not a field.
                if (member is BaseFieldDeclarationSyntax || member is BaseTypeDeclarationSyntax)
                    continue;
                foreach (var name in member.DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (!names.Contains(name.Identifier.ValueText) || IsInPropertyInitializer(name))
                        continue;
                    if (model.GetSymbolInfo(name, cancellationToken).Symbol is IParameterSymbol parameter
                        && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, constructor))
                        captured.Add(parameter);
                }
            }
        }
        foreach (var parameter in constructor.Parameters.Where(captured.Contains))
        {
            var name = "<" + parameter.Name + ">P";
            current.Model.Fields.Add(new BaselineField
            {
                Name = name,
                ReportedId = current.Model.Id,
                Type = SymbolSignatures.Type(parameter.Type),
                Flags = "",
                DisplayName = GeneratedMemberNames.CapturedParameter(parameter.Name, current.Model.DisplayName),
            });
            var syntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as ParameterSyntax;
            current.Fields[name] = syntax?.Identifier.GetLocation() ?? current.Location;
            current.CapturedParameterFields.Add(name);
        }
    }

    private static bool IsInPropertyInitializer(SyntaxNode node)
        => node.Ancestors().Any(a => a is EqualsValueClauseSyntax && a.Parent is PropertyDeclarationSyntax);
}
