using System.Collections.Generic;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;
using PatchGen.Rules.Types;

namespace PatchGen.Rules;

/// <summary>
/// The rules about a build's shape, written once for both hosts: the diff engine runs them over two
/// builds read from metadata (<see cref="ForTwoBuilds"/>), the analyzer over the baseline manifest
/// and the compilation being edited (<see cref="ForEdit"/>). Each rule is one class under Types/,
/// Fields/, Methods/, PropertiesAndEvents/ or Metadata/, reporting a catalogue entry of
/// PatchGen.Diagnostics; what only IL shows (bodies, lambdas, state machines, static-initializer
/// IL) stays in the diff engine. See docs/diff-rules.md.
/// </summary>
internal sealed class ShapeRules
{
    private readonly RuleContext _context;

    private ShapeRules(RuleContext context)
    {
        _context = context;
    }

    /// <summary>Rules over two builds read from metadata, where every text is known.</summary>
    public static ShapeRules ForTwoBuilds(IFindingSink sink, PatchModel model) => new ShapeRules(new RuleContext(sink, textsMayBeUnbound: false, model));

    /// <summary>Rules over the baseline and code being edited, where a text may name a type that does not bind yet.</summary>
    public static ShapeRules ForEdit(IFindingSink sink, PatchModel model) => new ShapeRules(new RuleContext(sink, textsMayBeUnbound: true, model));

    /// <summary>Every user-written type of two builds: paired, added, removed, or of another arity.</summary>
    public void CompareBuilds(IEnumerable<BaselineType> @base, IEnumerable<BaselineType> @new)
        => TypeSetRule.Compare(_context, @base, @new, CompareTypes);

    /// <summary>One type present in both builds, and its members.</summary>
    public void CompareTypes(BaselineType b, BaselineType n)
    {
        TypeRules.Compare(_context, b, n);
        _context.Sink.TypesCompared(b, n);
    }

    /// <summary>
    /// PG1002 for a type of the new build that takes the place of <paramref name="old"/>, a type gone
    /// from it with the same name and another arity: what <see cref="CompareBuilds"/> reports, for a
    /// host that sees one new type at a time.
    /// </summary>
    public bool ReportArityChange(BaselineType old, BaselineType candidate, SortedDictionary<string, BaselineType> siblings)
    {
        if (TypeArity.OtherArityOf(old, siblings) != candidate)
            return false;
        TypeSetRule.ArityChanged(_context, old, candidate);
        return true;
    }
}
