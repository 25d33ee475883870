using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PatchGen.Baseline;

/// <summary>
/// The documentation ID of a type declaration from syntax alone (<c>T:Shop.Cart.Line`1</c>):
/// the manifest writer has parsed sources but no semantic model, and the analyzer must compute
/// the same key for the same declaration.
/// </summary>
internal static class SyntaxTypeId
{
    public static string Of(BaseTypeDeclarationSyntax declaration)
    {
        var parts = new List<string>();
        for (var node = declaration.Parent; node != null; node = node.Parent)
        {
            switch (node)
            {
                case BaseTypeDeclarationSyntax outer:
                    parts.Add(NameOf(outer));
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    parts.Add(ns.Name.ToString().Replace(" ", ""));
                    break;
            }
        }
        parts.Reverse();
        parts.Add(NameOf(declaration));
        var builder = new StringBuilder("T:");
        builder.Append(string.Join(".", parts));
        return builder.ToString();
    }

    private static string NameOf(BaseTypeDeclarationSyntax declaration)
    {
        var name = declaration.Identifier.ValueText;
        int arity = declaration is TypeDeclarationSyntax type && type.TypeParameterList != null ? type.TypeParameterList.Parameters.Count : 0;
        return arity == 0 ? name : name + "`" + arity.ToString(CultureInfo.InvariantCulture);
    }
}
