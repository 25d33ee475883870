using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PatchGen.Baseline;

namespace PatchGen.Analyzers;

/// <summary>
/// Finds the baseline manifest of the compilation among its AdditionalFiles: named
/// <c>&lt;AssemblyName&gt;.patchgen-baseline.txt</c> (PatchGen.Build adds it in patch mode) and
/// describing the same assembly. A manifest is parsed once per text: the IDE hands the same
/// text to every compilation until the file changes.
/// </summary>
internal static class ManifestLocator
{
    private static readonly ConditionalWeakTable<SourceText, Parsed> Cache = new ConditionalWeakTable<SourceText, Parsed>();

    internal sealed class Parsed
    {
        public Parsed(BaselineManifest? manifest, string? error)
        {
            Manifest = manifest;
            Error = error;
        }

        public BaselineManifest? Manifest { get; }

        public string? Error { get; }
    }

    /// <returns>Null when the compilation has no manifest (the analyzer then does nothing); otherwise the manifest or why it cannot be read, with its path.</returns>
    public static (string Path, Parsed Result)? Find(AnalyzerOptions options, string? assemblyName, CancellationToken cancellationToken)
    {
        if (assemblyName is null)
            return null;
        var expected = BaselineManifest.FileNameFor(assemblyName);
        var file = options.AdditionalFiles.FirstOrDefault(f => string.Equals(Path.GetFileName(f.Path), expected, StringComparison.OrdinalIgnoreCase));
        if (file is null)
            return null;
        var text = file.GetText(cancellationToken);
        if (text is null)
            return (file.Path, new Parsed(null, "cannot be read"));
        var parsed = Cache.GetValue(text, Parse);
        if (parsed.Manifest != null && parsed.Manifest.AssemblyName != assemblyName)
            return (file.Path, new Parsed(null, $"describes assembly '{parsed.Manifest.AssemblyName}', not '{assemblyName}'"));
        return (file.Path, parsed);
    }

    private static Parsed Parse(SourceText text)
    {
        try
        {
            return new Parsed(BaselineText.Read(text.ToString()), null);
        }
        catch (BaselineFormatException e)
        {
            return new Parsed(null, "not a readable PatchGen baseline manifest: " + e.Message);
        }
    }
}
