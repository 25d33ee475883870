using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PatchGen.Baseline;

/// <summary>
/// Fingerprints of code the analyzer cannot compare as IL, computed from source syntax by both
/// the manifest writer (from the sources the PDB names) and the analyzer (from the compilation),
/// with this one piece of code so that they agree: tokens only, so whitespace, comments, regions
/// and disabled preprocessor branches do not count.
/// <list type="bullet">
/// <item>Static initialization of a type (PG2004): every static field, property and event
/// initializer (with the member's type and name) and every static constructor, in declaration order.
/// Constants are not static initialization (a <c>const decimal</c> is filled by the static
/// constructor, but the diff engine compares it as a constant).</item>
/// <item>A LibraryImport method (PG1006): its declarations, attributes included, and the
/// implementation the generator wrote, whose IL is marshalling code around a P/Invoke.</item>
/// </list>
/// </summary>
internal static class SourceFingerprints
{
    private const string LibraryImport = "LibraryImport";

    /// <summary>Static-initialization fingerprints by type documentation ID (<see cref="BaselineType.None"/> for none).</summary>
    public static Dictionary<string, string> StaticInitializationByType(IEnumerable<SyntaxTree> trees)
    {
        var parts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var declaration in TypeDeclarations(trees))
        {
            var id = SyntaxTypeId.Of(declaration);
            if (!parts.TryGetValue(id, out var list))
                parts[id] = list = new List<string>();
            list.Add(StaticInitializationText(declaration));
        }
        return parts.ToDictionary(p => p.Key, p => Combine(p.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// LibraryImport fingerprints by type documentation ID and method name: every declaration of a
    /// method of that name in a type where one of them has a LibraryImport attribute.
    /// </summary>
    public static Dictionary<(string TypeId, string Method), string> LibraryImportStubsByType(IEnumerable<SyntaxTree> trees)
        => LibraryImportStubs(TypeDeclarations(trees).Select(d => (SyntaxTypeId.Of(d), d)));

    /// <summary>The static-initialization fingerprint of one type from its declarations (the parts of a partial type).</summary>
    public static string StaticInitialization(IEnumerable<TypeDeclarationSyntax> parts)
        => Combine(parts.Select(StaticInitializationText).ToList());

    /// <summary>
    /// As <see cref="StaticInitialization(IEnumerable{TypeDeclarationSyntax})"/>, leaving out the
    /// declarations of static fields named in <paramref name="fields"/> (every variable of the
    /// declaration): the extended model's added static fields, whose initializers move into the patch.
    /// </summary>
    public static string StaticInitialization(IEnumerable<TypeDeclarationSyntax> parts, ICollection<string> fields)
        => Combine(parts.Select(p => StaticInitializationText(p, fields)).ToList());

    /// <summary>The LibraryImport fingerprints of one type from its declarations.</summary>
    public static Dictionary<(string TypeId, string Method), string> LibraryImportStubs(IEnumerable<TypeDeclarationSyntax> parts, string typeId)
        => LibraryImportStubs(parts.Select(d => (typeId, d)));

    private static Dictionary<(string TypeId, string Method), string> LibraryImportStubs(IEnumerable<(string Id, TypeDeclarationSyntax Declaration)> declarations)
    {
        var found = new Dictionary<(string, string), List<string>>();
        var imported = new HashSet<(string, string)>();
        foreach (var (id, declaration) in declarations)
        {
            foreach (var method in declaration.Members.OfType<MethodDeclarationSyntax>())
            {
                var key = (id, method.Identifier.ValueText);
                if (!found.TryGetValue(key, out var list))
                    found[key] = list = new List<string>();
                list.Add(Tokens(method));
                if (method.AttributeLists.SelectMany(l => l.Attributes).Any(IsLibraryImport))
                    imported.Add(key);
            }
        }
        return found.Where(p => imported.Contains(p.Key)).ToDictionary(p => p.Key, p => Combine(p.Value));
    }

    private static bool IsLibraryImport(AttributeSyntax attribute)
    {
        var name = attribute.Name is QualifiedNameSyntax q ? q.Right.Identifier.ValueText
            : attribute.Name is AliasQualifiedNameSyntax a ? a.Name.Identifier.ValueText
            : attribute.Name is SimpleNameSyntax s ? s.Identifier.ValueText : "";
        return name == LibraryImport || name == LibraryImport + "Attribute";
    }

    public static IEnumerable<TypeDeclarationSyntax> TypeDeclarations(IEnumerable<SyntaxTree> trees)
        => trees.SelectMany(t => t.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax || n is TypeDeclarationSyntax))
            .OfType<TypeDeclarationSyntax>();

    /// <summary>The static-initialization text of one declaration of a type (empty if it has none).</summary>
    public static string StaticInitializationText(TypeDeclarationSyntax declaration) => StaticInitializationText(declaration, Array.Empty<string>());

    private static string StaticInitializationText(TypeDeclarationSyntax declaration, ICollection<string> leftOut)
    {
        var builder = new StringBuilder();
        foreach (var member in StaticInitializers(declaration))
        {
            if (leftOut.Count > 0 && member is FieldDeclarationSyntax field && field.Declaration.Variables.All(v => leftOut.Contains(v.Identifier.ValueText)))
                continue;
            // A property takes part through its initializer only: its accessors are methods (a getter's
            // body changing is a body change, or PG2008, not a change of static initialization).
            if (member is PropertyDeclarationSyntax property)
                builder.Append(Tokens(property.Type)).Append(' ').Append(property.Identifier.Text).Append(' ').Append(Tokens(property.Initializer!));
            else
                builder.Append(Tokens(member));
            builder.Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>The members of one declaration that take part in static initialization, in order.</summary>
    public static IEnumerable<MemberDeclarationSyntax> StaticInitializers(TypeDeclarationSyntax declaration)
    {
        foreach (var member in declaration.Members)
        {
            bool isStatic = member.Modifiers.Any(SyntaxKind.StaticKeyword);
            switch (member)
            {
                case FieldDeclarationSyntax field when isStatic && !member.Modifiers.Any(SyntaxKind.ConstKeyword)
                        && field.Declaration.Variables.Any(v => v.Initializer != null):
                case EventFieldDeclarationSyntax evt when isStatic && evt.Declaration.Variables.Any(v => v.Initializer != null):
                case PropertyDeclarationSyntax property when isStatic && property.Initializer != null:
                case ConstructorDeclarationSyntax _ when isStatic:
                    yield return member;
                    break;
            }
        }
    }

    /// <summary>The tokens of a node separated by single spaces: no trivia, so no whitespace, comments or disabled code.</summary>
    public static string Tokens(SyntaxNode node)
    {
        var builder = new StringBuilder();
        foreach (var token in node.DescendantTokens())
        {
            if (builder.Length > 0)
                builder.Append(' ');
            builder.Append(token.Text);
        }
        return builder.ToString();
    }

    /// <summary>Parts of a partial type are combined in a fixed order (documents may be listed in any order).</summary>
    private static string Combine(List<string> parts)
    {
        var nonEmpty = parts.Where(p => p.Length > 0).OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (nonEmpty.Count == 0)
            return BaselineType.None;
        return Hash(string.Join("\n--\n", nonEmpty));
    }

    /// <summary>64-bit FNV-1a over UTF-16 code units, as 16 hex digits: stable across processes and platforms.</summary>
    public static string Hash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= (byte)c;
            hash *= 1099511628211UL;
            hash ^= (byte)(c >> 8);
            hash *= 1099511628211UL;
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
