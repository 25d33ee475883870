namespace PatchGen.Instrumentation;

/// <summary>Where an input's portable PDB was found; the output's is written the same way.</summary>
internal enum SymbolKind
{
    None,
    Embedded,
    Beside,
}
