using PatchGen.Diagnostics;

namespace PatchGen.Runtime;

/// <summary>
/// A patch operation that was refused or failed, with its catalogue ID (PG0001, PG0003, PG0005, PG0006,
/// PG4003, PG4004, PG4005). When it is thrown, nothing changed: the process is as it was.
/// </summary>
public sealed class PatchRuntimeException : Exception
{
    internal PatchRuntimeException(DiagnosticDescriptor descriptor, params object[] args)
        : base(descriptor.Format(args))
    {
        DiagnosticId = descriptor.Id;
    }

    internal PatchRuntimeException(DiagnosticDescriptor descriptor, Exception inner, params object[] args)
        : base(descriptor.Format(args), inner)
    {
        DiagnosticId = descriptor.Id;
    }

    /// <summary>The diagnostic ID, for example <c>PG0005</c>.</summary>
    public string DiagnosticId { get; }

    /// <summary>The one-line form front ends print: <c>error PG0005: ...</c>.</summary>
    public override string ToString() => $"error {DiagnosticId}: {Message}";
}
