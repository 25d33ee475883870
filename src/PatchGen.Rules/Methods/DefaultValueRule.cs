using System;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Methods;

/// <summary>
/// PG2005 for parameters: a default value changed. Like a constant, a default value is copied into
/// every call site that omits the argument, which keep the old value.
/// </summary>
internal static class DefaultValueRule
{
    public static bool Check(RuleContext context, BaselineMethod b, BaselineMethod n, string member)
    {
        bool reported = false;
        for (int i = 0; i < Math.Min(b.Defaults.Count, n.Defaults.Count); i++)
        {
            if (b.Defaults[i] == n.Defaults[i])
                continue;
            reported |= context.Report(DiagnosticCatalog.ConstantChanged, member, FindingSite.DefaultValue(n, i),
                $"the default value of parameter '{n.ParameterName(i)}' of {n.DisplayName}", b.DefaultDisplays[i], n.DefaultDisplays[i]);
        }
        return reported;
    }
}
