using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Analyzers.CodeFixes;

/// <summary>
/// PG2001 on an added instance field: replaces the field by a property of the same name, type and
/// accessibility whose value lives in a shadow variable of the PatchGen runtime
/// (<c>PatchGen.Runtime.ShadowVariables</c>, livepatch's <c>klp_shadow_get_or_alloc</c>), boxed
/// in a <c>StrongBox&lt;T&gt;</c> created on first use (with the field's initializer, if it had
/// one). Live objects keep their layout, every use of the name still compiles, and the new
/// accessors ship inside the patch. Offered only when the project references PatchGen.Runtime.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ShadowVariableCodeFix)), Shared]
public sealed class ShadowVariableCodeFix : CodeFixProvider
{
    internal const string ShadowVariables = PatchGen.Diagnostics.RuntimeNames.ShadowVariables;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticCatalog.FieldAdded.Id);

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel?.Compilation.GetTypeByMetadataName(ShadowVariables) is null)
            return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.InstanceField, out var instance) || instance != "true")
                continue;
            var declarator = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<VariableDeclaratorSyntax>();
            if (declarator?.Parent?.Parent is not FieldDeclarationSyntax field || field.Modifiers.Any(SyntaxKind.StaticKeyword))
                continue;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Keep '{declarator.Identifier.ValueText}' in a shadow variable (PatchGen.Runtime.ShadowVariables)",
                    c => ReplaceAsync(context.Document, field, declarator, c),
                    equivalenceKey: nameof(ShadowVariableCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, FieldDeclarationSyntax field, VariableDeclaratorSyntax declarator, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null || semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol symbol)
            return document;

        var property = ShadowProperty(field, declarator, symbol);
        SyntaxNode newRoot;
        if (field.Declaration.Variables.Count == 1)
        {
            newRoot = root.ReplaceNode(field, property.WithTrailingTrivia(field.GetTrailingTrivia()));
        }
        else
        {
            // int a, b; with b added: the field keeps a, the property for b follows it.
            var remaining = field.WithDeclaration(field.Declaration.WithVariables(field.Declaration.Variables.Remove(declarator)));
            newRoot = root.ReplaceNode(field, new SyntaxNode[] { remaining, property.WithTrailingTrivia(field.GetTrailingTrivia()) });
        }
        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>
    /// <c>T Name { get => ShadowVariables.GetOrAdd(this, ID, _ => new StrongBox&lt;T&gt;(init)).Value; set => ... .Value = value; }</c>,
    /// the ID a stable number derived from the field's documentation ID.
    /// </summary>
    private static PropertyDeclarationSyntax ShadowProperty(FieldDeclarationSyntax field, VariableDeclaratorSyntax declarator, IFieldSymbol symbol)
    {
        var type = field.Declaration.Type.WithoutTrivia();
        int id = ShadowId(symbol.GetDocumentationCommentId() ?? symbol.Name);
        var box = SyntaxFactory.QualifiedName(
            SyntaxFactory.ParseName("global::System.Runtime.CompilerServices"),
            SyntaxFactory.GenericName(SyntaxFactory.Identifier("StrongBox"), SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(type))));
        var arguments = declarator.Initializer is { } initializer
            ? SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(initializer.Value.WithoutTrivia())))
            : SyntaxFactory.ArgumentList();
        var getOrAdd = SyntaxFactory.ParseExpression(
            $"global::{ShadowVariables}.GetOrAdd(this, {id.ToString(CultureInfo.InvariantCulture)}, _ => new {box.ToFullString()}{arguments.ToFullString()}).Value");
        var getter = SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration)
            .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(getOrAdd))
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
        var setter = SyntaxFactory.AccessorDeclaration(SyntaxKind.SetAccessorDeclaration)
            .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(
                SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, getOrAdd, SyntaxFactory.IdentifierName("value"))))
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
        // Accessibility and 'new' stay; readonly and volatile mean nothing for a property.
        var modifiers = SyntaxFactory.TokenList(field.Modifiers.Where(m => !m.IsKind(SyntaxKind.ReadOnlyKeyword) && !m.IsKind(SyntaxKind.VolatileKeyword)));
        var comment = SyntaxFactory.Comment(
            $"// PatchGen: a shadow variable, not a field, so that live {symbol.ContainingType.Name} objects keep their layout (PG2001).");
        return SyntaxFactory.PropertyDeclaration(type, declarator.Identifier.WithoutTrivia())
            .WithAttributeLists(field.AttributeLists)
            .WithModifiers(modifiers)
            .WithAccessorList(SyntaxFactory.AccessorList(SyntaxFactory.List(new[] { getter, setter })))
            .WithLeadingTrivia(field.GetLeadingTrivia().Add(comment).Add(SyntaxFactory.ElasticCarriageReturnLineFeed).AddRange(field.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))))
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    /// <summary>A stable shadow-variable ID: FNV-1a of the field's documentation ID, folded to 31 bits.</summary>
    internal static int ShadowId(string documentationId)
    {
        uint hash = 2166136261;
        foreach (char c in documentationId)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return (int)(hash & 0x7FFFFFFF);
    }
}
