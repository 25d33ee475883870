using System;
using System.Collections.Generic;

namespace PatchGen.Baseline;

/// <summary>
/// What a patchable build looked like, written next to it (<c>&lt;AssemblyName&gt;.patchgen-baseline.txt</c>)
/// so that the analyzer can tell, while the user edits the next version, what the diff engine will
/// say about the edit. Describes the user's code as the diff engine sees it (through any patch-site
/// instrumentation), bound to the MVID of the file that will run. Format: docs/baseline-manifest.md.
/// </summary>
internal sealed class BaselineManifest
{
    /// <summary>The file name convention: the analyzer finds its manifest among AdditionalFiles by it.</summary>
    public const string FileSuffix = ".patchgen-baseline.txt";

    /// <summary>The format version this code reads and writes.</summary>
    public const int CurrentFormatVersion = 2;

    public BaselineManifest(string assemblyName, Guid mvid)
    {
        AssemblyName = assemblyName;
        Mvid = mvid;
    }

    public string AssemblyName { get; }

    /// <summary>The MVID of the described file (for an instrumented build: the instrumented file, which patches bind to).</summary>
    public Guid Mvid { get; }

    /// <summary>
    /// Whether every source document the PDB names could be read. When not, types whose static
    /// initialization could not be fingerprinted carry <see cref="BaselineType.Unknown"/>.
    /// </summary>
    public bool SourcesComplete { get; set; } = true;

    /// <summary>Source documents named by the PDB that could not be read (for the record; paths as the PDB has them).</summary>
    public List<string> MissingSources { get; } = new List<string>();

    /// <summary>Every user-written type, sorted by documentation ID.</summary>
    public List<BaselineType> Types { get; } = new List<BaselineType>();

    public static string FileNameFor(string assemblyName) => assemblyName + FileSuffix;
}
