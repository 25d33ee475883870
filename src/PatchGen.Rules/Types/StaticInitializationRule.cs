using System;
using System.Collections.Generic;
using System.Linq;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules.Types;

/// <summary>
/// PG2004 from source: the static field initializers and static constructor of a type, compared by
/// their source fingerprints (<see cref="SourceFingerprints"/>), where the analyzer cannot see IL.
/// The diff engine reads no fingerprint (its types say <see cref="BaselineType.Unknown"/>): it
/// compares the static constructor's IL, and reports one added or removed with the other methods.
/// </summary>
internal static class StaticInitializationRule
{
    public static bool Check(RuleContext context, BaselineType b, BaselineType n)
    {
        if (b.StaticInitialization == BaselineType.Unknown || n.StaticInitialization == BaselineType.Unknown
            || b.StaticInitialization == n.StaticInitialization || OnlyAddedFieldsInitialized(context, b, n))
            return false;
        // Reported under the static constructor, as the diff engine reports a change of its IL.
        return context.Report(DiagnosticCatalog.StaticInitializerChanged, "M:" + n.Id.Substring(2) + ".#cctor", FindingSite.StaticInitialization(n), n.DisplayName);
    }

    /// <summary>
    /// Extended model: the only change is the initializers of static fields the fix adds, which move
    /// into the patch with their fields (as the diff engine leaves them out of the static constructor's IL).
    /// </summary>
    private static bool OnlyAddedFieldsInitialized(RuleContext context, BaselineType b, BaselineType n)
    {
        if (!context.Extended || n.StaticInitializationWithout is null)
            return false;
        var existing = new HashSet<string>(b.Fields.Select(f => f.Name), StringComparer.Ordinal);
        var added = n.Fields.Where(f => f.HasFlag("static") && !Fields.FieldRules.IsConstant(f) && !existing.Contains(f.Name)).Select(f => f.Name).ToList();
        return added.Count > 0 && n.StaticInitializationWithout(added) == b.StaticInitialization;
    }
}
