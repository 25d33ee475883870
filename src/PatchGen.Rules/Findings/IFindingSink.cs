using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Rules.Findings;

/// <summary>
/// Where the rules send what they find. Each host turns a finding into its own kind of report: the
/// diff engine into a <c>PatchDiagnostic</c> located through the PDB and a <c>MemberChange</c>, the
/// analyzer into a Roslyn diagnostic at the edited syntax (PG1xxx and PG2xxx only).
/// </summary>
internal interface IFindingSink
{
    /// <summary>A diagnostic of the catalogue about <paramref name="member"/> (a documentation ID), at <paramref name="site"/>.</summary>
    void Report(DiagnosticDescriptor rule, string member, FindingSite site, params object[] args);

    /// <summary>What happened to <paramref name="member"/>; recorded at most once per member and kind by the host.</summary>
    void Record(string member, ShapeChange change);

    /// <summary>
    /// Two methods the rules take for one method of both builds, after its shape was compared: the
    /// host compares what only it sees (the diff engine: the IL bodies).
    /// </summary>
    /// <param name="reportedId">The ID findings about the method are reported under.</param>
    void MethodsMatched(BaselineMethod b, BaselineMethod n, string reportedId);

    /// <summary>
    /// Extended model: whether every use of <paramref name="old"/>, a method whose signature changed
    /// to <paramref name="new"/>, is a call from code the fix replaces, as far as the host can see
    /// (the diff engine scans the base's IL; the analyzer, which sees no IL, can only rule out
    /// <c>InternalsVisibleTo</c>). See <c>Methods/SignatureHelperRule</c>.
    /// </summary>
    /// <param name="assemblyWide">The method is visible to the whole assembly (internal), so to its friends too.</param>
    bool OnlyReplacedCodeUses(BaselineMethod old, BaselineMethod @new, bool assemblyWide);

    /// <summary>
    /// Extended model: whether <paramref name="field"/>, a field the fix adds to an existing type, can
    /// live in the patch (a static) or in shadow variables (an instance field) as far as the host can
    /// see (the diff engine: no RVA data, layout or marshalling, and no string of v2 equal to its name;
    /// the analyzer sees no IL and says yes). See <c>Fields/AddedStaticFieldRule</c> and <c>Fields/AddedInstanceFieldRule</c>.
    /// </summary>
    bool OnlyPatchedCodeUses(BaselineType type, BaselineField field);

    /// <summary>The rules are done with two types of both builds and their members (the diff engine lets go of its reading of the members).</summary>
    void TypesCompared(BaselineType b, BaselineType n);
}
