using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PatchGen.Diff.Baseline;

/// <summary>
/// The C# sources a build was compiled from, found through its portable PDB (beside the assembly or
/// embedded): the documents it names (their embedded text, or the file on disk) parsed with the
/// preprocessor symbols the PDB records in its compilation options, so that the manifest writer
/// sees the code the compiler saw. Documents that cannot be read are listed, not guessed.
/// </summary>
internal sealed class PdbSources
{
    /// <summary>Custom debug information: compilation options (null-separated UTF-8 key/value pairs).</summary>
    private static readonly Guid CompilationOptionsKind = new("B5FEEC05-8CD0-4A83-96DA-466284BB4BD8");

    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private PdbSources(List<SyntaxTree> trees, List<string> missing, bool hasPdb)
    {
        Trees = trees;
        Missing = missing;
        HasPdb = hasPdb;
    }

    public IReadOnlyList<SyntaxTree> Trees { get; }

    /// <summary>Documents the PDB names that could not be read (neither embedded nor on disk).</summary>
    public IReadOnlyList<string> Missing { get; }

    public bool HasPdb { get; }

    /// <summary>Sources given explicitly (tests, or a caller that knows better than the PDB).</summary>
    public static PdbSources FromFiles(IEnumerable<string> paths, IEnumerable<string> preprocessorSymbols)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: preprocessorSymbols);
        var trees = new List<SyntaxTree>();
        var missing = new List<string>();
        foreach (var path in paths.OrderBy(p => p, StringComparer.Ordinal))
        {
            if (ReadFile(path) is { } text)
                trees.Add(CSharpSyntaxTree.ParseText(text, options, path));
            else
                missing.Add(path);
        }
        return new PdbSources(trees, missing, hasPdb: true);
    }

    /// <summary>Reads the sources of <paramref name="assemblyPath"/> through its PDB; no PDB means no sources (all missing).</summary>
    public static PdbSources FromPdb(string assemblyPath)
    {
        try
        {
            using var provider = OpenPdb(assemblyPath);
            if (provider is null)
                return new PdbSources(new List<SyntaxTree>(), new List<string>(), hasPdb: false);
            var reader = provider.GetMetadataReader();
            var defines = new List<string>();
            foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
            {
                var cdi = reader.GetCustomDebugInformation(handle);
                if (reader.GetGuid(cdi.Kind) != CompilationOptionsKind)
                    continue;
                var options = ParseOptions(reader.GetBlobBytes(cdi.Value));
                if (options.TryGetValue("define", out var define))
                    defines.AddRange(define.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: defines);
            var trees = new List<SyntaxTree>();
            var missing = new List<string>();
            foreach (var documentHandle in reader.Documents)
            {
                var document = reader.GetDocument(documentHandle);
                var name = reader.GetString(document.Name);
                if (!name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                    continue;
                string? text = null;
                foreach (var cdiHandle in reader.GetCustomDebugInformation(documentHandle))
                {
                    var cdi = reader.GetCustomDebugInformation(cdiHandle);
                    if (reader.GetGuid(cdi.Kind) == EmbeddedSourceKind)
                        text = DecodeEmbeddedSource(reader.GetBlobBytes(cdi.Value));
                }
                text ??= ReadFile(name);
                if (text is null)
                    missing.Add(name);
                else
                    trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, name));
            }
            return new PdbSources(trees.OrderBy(t => t.FilePath, StringComparer.Ordinal).ToList(), missing, hasPdb: true);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            // A stale or corrupt PDB costs the source fingerprints (documented as unknown), never the manifest.
            return new PdbSources(new List<SyntaxTree>(), new List<string>(), hasPdb: false);
        }
    }

    private static MetadataReaderProvider? OpenPdb(string assemblyPath)
    {
        using (var pe = new PEReader(File.OpenRead(assemblyPath)))
        {
            var embedded = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            if (embedded.DataSize > 0)
                return pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        }
        var pdb = Path.ChangeExtension(assemblyPath, ".pdb");
        if (!File.Exists(pdb))
            return null;
        return MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(File.ReadAllBytes(pdb)));
    }

    private static Dictionary<string, string> ParseOptions(byte[] blob)
    {
        var parts = Encoding.UTF8.GetString(blob).Split('\0');
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < parts.Length; i += 2)
            options[parts[i]] = parts[i + 1];
        return options;
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string DecodeEmbeddedSource(byte[] blob)
    {
        int format = BitConverter.ToInt32(blob, 0);
        if (format == 0)
            return Encoding.UTF8.GetString(blob, 4, blob.Length - 4);
        using var inflated = new MemoryStream(format);
        using (var deflate = new System.IO.Compression.DeflateStream(new MemoryStream(blob, 4, blob.Length - 4, writable: false), System.IO.Compression.CompressionMode.Decompress))
            deflate.CopyTo(inflated);
        return Encoding.UTF8.GetString(inflated.GetBuffer(), 0, (int)inflated.Length);
    }
}
