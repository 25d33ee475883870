namespace PatchGen.Corpus.Check;

/// <summary>
/// The independent check of an accepted fix. Under the simple model an accepted fix may change none of the listed
/// items (<see cref="ListingComparison"/>): every change is a false acceptance. Under the extended model each change
/// must be named by a diagnostic the extended model adds: a PG3xxx of the extended report that the simple report of
/// the same pair does not have (same ID and member), so the extended model's transformations are recognised by what
/// they report, whichever IDs they get.
/// </summary>
internal static class AcceptanceCheck
{
    /// <summary>A diagnostic of a report: its ID and the documentation ID it names (null for the assembly).</summary>
    public sealed record ReportedDiagnostic(string Id, string? Member);

    /// <summary>The changes no diagnostic accounts for: false acceptances.</summary>
    public static IReadOnlyList<ListingChange> Uncovered(
        IReadOnlyList<ListingChange> changes, bool extended,
        IReadOnlyCollection<ReportedDiagnostic> extendedReport, IReadOnlyCollection<ReportedDiagnostic> simpleReport)
    {
        if (!extended)
            return changes;
        var modelOnly = extendedReport
            .Where(d => d.Id.StartsWith("PG3", StringComparison.Ordinal) && d.Member is not null && !simpleReport.Contains(d))
            .ToList();
        return changes.Where(c => !modelOnly.Any(d => c.IsNamedBy(d.Member!))).ToList();
    }
}
