using PatchGen.Corpus.Check;
using static PatchGen.Corpus.Check.AcceptanceCheck;

namespace PatchGen.Corpus.Tests;

/// <summary>
/// Which changes of an accepted fix the check counts as false acceptances: all of them under the simple model;
/// under the extended model those no extended-only PG3xxx diagnostic names.
/// </summary>
public sealed class AcceptanceCheckTests
{
    private static readonly ListingChange RemovedField = new(ListingChangeKind.FieldRemoved, "Ns.Outer/C", "count", "System.Int32");
    private static readonly ListingChange RemovedBackingField = new(ListingChangeKind.FieldRemoved, "Ns.C", "<Total>k__BackingField", "System.Int32");
    private static readonly ListingChange ChangedSignature = new(ListingChangeKind.SignatureChanged, "Ns.C", "Parse", "(Int32)Int32 -> (Int64)Int32");
    private static readonly ListingChange ChangedStaticConstructor = new(ListingChangeKind.StaticConstructorChanged, "Ns.C", null, "IL changed");

    // Keyed by name: the test's parameters must be public, the checker's types are internal.
    private static readonly Dictionary<string, (ListingChange Change, bool Extended, ReportedDiagnostic[] Report, ReportedDiagnostic[] SimpleReport, bool IsFalse)> CaseTable = new()
    {
        ["simple: every change is false"] = (RemovedField, false, [new("PG3009", "F:Ns.Outer.C.count")], [], true),
        ["extended: removed field named"] = (RemovedField, true, [new("PG3009", "F:Ns.Outer.C.count")], [], false),
        ["extended: not named"] = (RemovedField, true, [new("PG3009", "F:Ns.Outer.C.other")], [], true),
        ["extended: named, but the simple model says it too"] = (RemovedField, true, [new("PG3001", "F:Ns.Outer.C.count")], [new("PG3001", "F:Ns.Outer.C.count")], true),
        ["extended: an error is no cover"] = (RemovedField, true, [new("PG2002", "F:Ns.Outer.C.count")], [], true),
        ["extended: backing field under its property"] = (RemovedBackingField, true, [new("PG3009", "P:Ns.C.Total")], [], false),
        ["extended: signature named by the method"] = (ChangedSignature, true, [new("PG3010", "M:Ns.C.Parse(System.Int64)")], [], false),
        ["extended: another method of the same prefix"] = (ChangedSignature, true, [new("PG3010", "M:Ns.C.ParseAll(System.Int64)")], [], true),
        ["extended: static constructor named by an added field"] = (ChangedStaticConstructor, true, [new("PG3011", "F:Ns.C.Pattern")], [], false),
        ["extended: static constructor not named"] = (ChangedStaticConstructor, true, [new("PG3011", "F:Ns.D.Pattern")], [], true),
    };

    public static TheoryData<string> Cases() => new(CaseTable.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void CountsUnnamedChangesAsFalseAcceptances(string name)
    {
        var (change, extended, report, simpleReport, isFalse) = CaseTable[name];

        var uncovered = Uncovered([change], extended, report.ToHashSet(), simpleReport.ToHashSet());

        Assert.True(isFalse == (uncovered.Count == 1), name);
    }
}
