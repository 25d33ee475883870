using System;

namespace PatchGen.Diagnostics;

/// <summary>
/// A failure that ends an operation with one clear diagnostic (an input error, usually PG0001).
/// Front ends print <see cref="Diagnostic"/> as one line and exit with code 2; never a stack trace.
/// </summary>
public sealed class PatchGenException : Exception
{
    public PatchGenException(PatchDiagnostic diagnostic, Exception? inner = null)
        : base(diagnostic.Message, inner)
    {
        Diagnostic = diagnostic;
    }

    public PatchDiagnostic Diagnostic { get; }
}
