using Microsoft.CodeAnalysis;

namespace PatchGen.Analyzers;

/// <summary>Members as C# names them in messages: <c>Cart.Total(int)</c>, <c>Box&lt;T&gt;</c>.</summary>
internal static class SymbolNames
{
    private static readonly SymbolDisplayFormat MemberFormat = new SymbolDisplayFormat(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeExplicitInterface,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat TypeFormat = new SymbolDisplayFormat(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    public static string Of(ISymbol symbol) => symbol.ToDisplayString(symbol is ITypeSymbol ? TypeFormat : MemberFormat);

    /// <summary>A method's prototype: <c>static decimal Cart.Total(int)</c>.</summary>
    public static string Prototype(IMethodSymbol method)
        => (method.IsStatic ? "static " : "") + Of(method.ReturnType) + " " + Of(method);
}
