using System.Collections.Generic;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Types;

/// <summary>
/// PG1002: the generic arity of an existing type or method, or the constraints, variance or special
/// constraints of one of its generic parameters, changed: instantiations in live code and in callers
/// were checked against the old ones. (A type whose arity changed is another type by name: see
/// <see cref="TypeSetRule"/>; a method whose arity changed is paired by name in <c>MethodRules</c>.)
/// </summary>
internal static class GenericsRule
{
    public const string Arity = "arity";

    private const int Same = -1;
    private const int OtherArity = -2;

    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
    {
        int at = Difference(context, b.GenericParameters, n.GenericParameters);
        return at != Same
            && context.Report(DiagnosticCatalog.GenericsChanged, n.Id, FindingSite.Type(Side.New, n), n.DisplayName, Describe(at, n.GenericParameterName));
    }

    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
    {
        int at = Difference(context, b.GenericParameters, n.GenericParameters);
        return at != Same
            && context.Report(DiagnosticCatalog.GenericsChanged, member, FindingSite.Signature(Side.New, n), n.DisplayName, Describe(at, n.GenericParameterName));
    }

    /// <returns><see cref="Same"/>, <see cref="OtherArity"/>, or the index of the first parameter whose constraints differ.</returns>
    private static int Difference(RuleContext context, List<string> b, List<string> n)
    {
        if (b.Count != n.Count)
            return OtherArity;
        for (int i = 0; i < b.Count; i++)
        {
            if (context.Differ(b[i], n[i]))
                return i;
        }
        return Same;
    }

    private static string Describe(int at, System.Func<int, string> nameOf)
        => at == OtherArity ? Arity : "constraints of type parameter " + nameOf(at);
}
