using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using PatchGen.Baseline;
using PatchGen.Rules.Findings;
using DiagnosticDescriptor = PatchGen.Diagnostics.DiagnosticDescriptor;

namespace PatchGen.Analyzers;

/// <summary>
/// Where the shape rules' findings go in the analyzer: PG1xxx and PG2xxx findings become
/// <see cref="Finding"/>s at the edited syntax of the type being analyzed (something removed, at the
/// type's identifier). The rest (PG3xxx caveats, which need metadata the manifest does not record
/// anyway) and member changes are the diff engine's business, and are dropped.
/// </summary>
internal sealed class AnalyzerFindings : IFindingSink
{
    private readonly CurrentType _current;
    private readonly bool _hasFriends;

    /// <param name="hasFriends">Whether the assembly being compiled declares <c>InternalsVisibleTo</c>.</param>
    public AnalyzerFindings(CurrentType current, bool hasFriends)
    {
        _current = current;
        _hasFriends = hasFriends;
    }

    public List<Finding> Findings { get; } = new List<Finding>();

    public void Report(DiagnosticDescriptor rule, string member, FindingSite site, params object[] args)
    {
        if (!AnalyzerDescriptors.Supports(rule))
            return;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.Member, member);
        if (rule.Id == PatchGen.Diagnostics.DiagnosticCatalog.FieldAdded.Id && site.Subject is BaselineField field)
            properties = properties.AddRange(ShadowVariableFixData(field));
        Findings.Add(new Finding(rule, member, Locate(site), args, properties));
    }

    /// <summary>Member changes make the diff engine's report; the analyzer has only diagnostics.</summary>
    public void Record(string member, ShapeChange change)
    {
    }

    /// <summary>Bodies are IL, which the analyzer does not see: the patch build compares them.</summary>
    public void MethodsMatched(BaselineMethod b, BaselineMethod n, string reportedId)
    {
    }

    /// <summary>
    /// The analyzer sees no IL, so no callers, address-taking or reflection: it rules out only friend
    /// assemblies, and leaves the rest to the patch build, which reports PG1001 when a caller is not
    /// replaced (docs/analyzer.md).
    /// </summary>
    public bool OnlyReplacedCodeUses(BaselineMethod old, BaselineMethod @new, bool assemblyWide) => !assemblyWide || !_hasFriends;

    /// <summary>The analyzer sees no IL (RVA data, strings naming the field): it leaves those to the patch build.</summary>
    public bool OnlyPatchedCodeUses(BaselineType type, BaselineField field) => true;

    /// <summary>The analyzer reads one type at a time, and holds nothing to let go of.</summary>
    public void TypesCompared(BaselineType b, BaselineType n)
    {
    }

    /// <summary>What the shadow-variable code fix needs of an added field: its name, and whether it is an instance field the user declared.</summary>
    private IEnumerable<KeyValuePair<string, string?>> ShadowVariableFixData(BaselineField field)
    {
        bool declaredInstanceField = !field.HasFlag("static") && !_current.CapturedParameterFields.Contains(field.Name)
            && field.ReportedId.StartsWith("F:", StringComparison.Ordinal);
        yield return new KeyValuePair<string, string?>(DiagnosticProperties.FieldName, field.Name);
        yield return new KeyValuePair<string, string?>(DiagnosticProperties.InstanceField, declaredInstanceField ? "true" : "false");
    }

    private Location Locate(FindingSite site)
    {
        if (site.Side == Side.Base)
            return _current.Location;
        switch (site.Kind)
        {
            case SiteKind.Field:
                return _current.FieldLocation(((BaselineField)site.Subject).Name);
            case SiteKind.ConstantValue:
                var name = ((BaselineField)site.Subject).Name;
                return _current.ConstantValues.TryGetValue(name, out var value) ? value : _current.FieldLocation(name);
            case SiteKind.PropertyOrEvent:
                return _current.MemberLocation(((BaselineProperty)site.Subject).Id);
            case SiteKind.Signature:
                return _current.MethodLocation(((BaselineMethod)site.Subject).Id);
            case SiteKind.DefaultValue:
                var method = ((BaselineMethod)site.Subject).Id;
                return _current.Defaults.TryGetValue((method, site.Parameter), out var @default) ? @default : _current.MethodLocation(method);
            case SiteKind.StaticInitialization:
                return _current.StaticInitializationLocation;
            default:
                return _current.Location;
        }
    }
}
