using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// The emitter met something it cannot reproduce in a patch (PG0008). The build stops with that
/// diagnostic and writes nothing.
/// </summary>
internal sealed class EmitException : Exception
{
    public EmitException(string member, string construct)
        : base(DiagnosticCatalog.UnsupportedConstruct.Format(member, construct))
    {
        Member = member;
        Construct = construct;
    }

    public string Member { get; }

    public string Construct { get; }

    public PatchDiagnostic ToDiagnostic(string? documentationId)
        => new(DiagnosticCatalog.UnsupportedConstruct.Id, DiagnosticCatalog.UnsupportedConstruct.Severity, documentationId, Message, null, null);
}
