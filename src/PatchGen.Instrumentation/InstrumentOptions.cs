namespace PatchGen.Instrumentation;

/// <summary>How <see cref="AssemblyInstrumenter"/> writes its output.</summary>
internal sealed class InstrumentOptions
{
    /// <summary>
    /// A strong-name key pair (<c>.snk</c>) to sign the output with. Without it a strong-named input
    /// keeps its public key (so references to it still bind) but its signature no longer matches the
    /// rewritten bytes; .NET (Core) never checks strong-name signatures, .NET Framework would.
    /// </summary>
    public string? KeyFile { get; init; }

    /// <summary>Copy PatchGen.Runtime and PatchGen.Diagnostics beside the output and register them in its deps.json files.</summary>
    public bool CopyRuntime { get; init; } = true;
}
