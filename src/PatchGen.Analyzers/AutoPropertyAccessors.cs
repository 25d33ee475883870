using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PatchGen.Analyzers;

/// <summary>
/// The analyzer's reading of <see cref="Baseline.BaselineMethod.IsAutoAccessor"/>: an accessor whose IL the
/// compiler writes as a plain read or write of the backing field, seen from source. That is an accessor
/// declared without a body (<c>get;</c>, <c>set;</c>, <c>init;</c>, a record's positional property), or
/// whose whole body is <c>=&gt; field</c> or <c>=&gt; field = value</c> (C# 14), which compile to the same
/// IL. The diff engine reads the same fact from IL (PatchGen.Cecil's <c>AutoPropertyAccessor</c>).
/// </summary>
internal static class AutoPropertyAccessors
{
    public static bool Is(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.PropertyGet or MethodKind.PropertySet) || method.IsAbstract || method.IsExtern
            || method.AssociatedSymbol is not IPropertySymbol property || property.IsIndexer)
            return false;
        // A partial property's accessors have their bodies in the implementing declaration.
        if (property.PartialImplementationPart is { } implementation)
            method = (method.MethodKind == MethodKind.PropertyGet ? implementation.GetMethod : implementation.SetMethod) ?? method;
        var references = method.DeclaringSyntaxReferences;
        if (references.Length == 0)
            return false;
        return references.All(r => r.GetSyntax() switch
        {
            // A record's positional property: the compiler writes the accessors.
            ParameterSyntax => true,
            AccessorDeclarationSyntax accessor => accessor.Body is null
                && (accessor.ExpressionBody is null || IsFieldAccess(accessor.ExpressionBody.Expression, getter: method.MethodKind == MethodKind.PropertyGet)),
            ArrowExpressionClauseSyntax arrow => IsFieldAccess(arrow.Expression, getter: true),
            _ => false,
        });
    }

    private static bool IsFieldAccess(ExpressionSyntax expression, bool getter)
        => getter
            ? expression.IsKind(SyntaxKind.FieldExpression)
            : expression is AssignmentExpressionSyntax { Left: var left, Right: IdentifierNameSyntax { Identifier.ValueText: "value" } } assignment
              && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && left.IsKind(SyntaxKind.FieldExpression);
}
