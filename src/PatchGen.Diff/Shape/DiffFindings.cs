using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Diff.Shape;

/// <summary>
/// Where the shape rules' findings go in the diff engine: diagnostics located through the PDB of
/// the build the site is in, member changes, and, for each method of both builds, the comparison of
/// its IL (<see cref="MethodBodyComparer"/>).
/// </summary>
internal sealed class DiffFindings : IFindingSink
{
    private readonly DiffContext _context;
    private readonly ReplacedCallers _callers;

    public DiffFindings(DiffContext context)
    {
        _context = context;
        _callers = new ReplacedCallers(context);
    }

    public void Report(DiagnosticDescriptor rule, string member, FindingSite site, params object[] args)
        => _context.Report(rule, member, Locate(site), args);

    public void Record(string member, ShapeChange change) => _context.Change(member, change switch
    {
        ShapeChange.Added => ChangeKind.Added,
        ShapeChange.Removed => ChangeKind.Removed,
        _ => ChangeKind.Changed,
    });

    public void MethodsMatched(BaselineMethod b, BaselineMethod n, string reportedId)
    {
        var (before, after) = (((CecilMethod)b).Definition, ((CecilMethod)n).Definition);
        if (before.HasBody && after.HasBody)
            MethodBodyComparer.Compare(_context, before, after, reportedId, n);
    }

    public bool OnlyReplacedCodeUses(BaselineMethod old, BaselineMethod @new, bool assemblyWide)
        => _callers.OnlyReplacedCodeUses(((CecilMethod)old).Definition, assemblyWide);

    public bool OnlyPatchedCodeUses(BaselineType type, BaselineField field)
        => AddedStaticUses.MayMove(_context, ((CecilField)field).Definition);

    /// <summary>A large assembly has hundreds of thousands of members: each type's are read only while it is compared.</summary>
    public void TypesCompared(BaselineType b, BaselineType n)
    {
        ((CecilType)b).ReleaseMembers();
        ((CecilType)n).ReleaseMembers();
    }

    /// <summary>
    /// A declaration is located at its name's line, a method at its signature (a default value and
    /// so on with it), in the base build's sources for something removed.
    /// </summary>
    private SourceLocation? Locate(FindingSite site)
    {
        var source = site.Side == Side.Base ? _context.BaseSource : _context.NewSource;
        return site.Subject switch
        {
            CecilType type => source.ForDeclaration(type.Definition),
            CecilField field => source.ForDeclaration(field.Definition),
            CecilMethod method => source.ForSignature(method.Definition),
            CecilProperty property => source.ForDeclaration(property.Definition),
            CecilEvent evt => source.ForDeclaration(evt.Definition),
            _ => throw new ArgumentException("not a model element read by the diff engine: " + site.Subject.GetType().Name, nameof(site)),
        };
    }
}
