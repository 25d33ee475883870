using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Rules.Findings;

namespace PatchGen.Rules;

/// <summary>What every rule of one comparison shares: where findings go, whether texts can name unbound types, and the model.</summary>
internal sealed class RuleContext
{
    private readonly bool _textsMayBeUnbound;

    public RuleContext(IFindingSink sink, bool textsMayBeUnbound, PatchModel model)
    {
        Sink = sink;
        _textsMayBeUnbound = textsMayBeUnbound;
        Model = model;
    }

    public IFindingSink Sink { get; }

    /// <summary>Which changes are accepted: the extended model's rules are asked only under <see cref="PatchModel.Extended"/>.</summary>
    public PatchModel Model { get; }

    public bool Extended => Model == PatchModel.Extended;

    /// <summary>
    /// Whether neither text names a type that did not bind (<see cref="SignatureText.ErrorType"/>):
    /// the analyzer reads code in the middle of an edit, and an unbound type is not a change.
    /// Metadata has no unbound types, so the diff engine compares every text.
    /// </summary>
    public bool Known(string a, string b) => !_textsMayBeUnbound || (!SignatureText.IsUnknown(a) && !SignatureText.IsUnknown(b));

    /// <summary>Whether <paramref name="text"/> names an unbound type (never, for metadata).</summary>
    public bool IsUnknown(string text) => _textsMayBeUnbound && SignatureText.IsUnknown(text);

    /// <summary>Two comparable texts that are known and differ.</summary>
    public bool Differ(string a, string b) => a != b && Known(a, b);

    /// <returns>True, so that a rule can say <c>reported |= context.Report(...)</c>.</returns>
    public bool Report(DiagnosticDescriptor rule, string member, FindingSite site, params object[] args)
    {
        Sink.Report(rule, member, site, args);
        return true;
    }

    public void Record(string member, ShapeChange change) => Sink.Record(member, change);
}
