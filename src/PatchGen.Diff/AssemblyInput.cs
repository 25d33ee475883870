using System.IO.Compression;
using System.Reflection.PortableExecutable;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;
using MetadataReader = System.Reflection.Metadata.MetadataReader;
using MetadataReaderProvider = System.Reflection.Metadata.MetadataReaderProvider;

namespace PatchGen.Diff;

/// <summary>
/// One build being compared: the assembly read by Mono.Cecil, with its symbols when a portable PDB
/// is beside it or embedded. Loading reads everything eagerly, so that corrupt metadata is reported
/// here as PG0001 naming this file, and not later as a stack trace from deep inside the comparison.
/// </summary>
internal sealed class AssemblyInput : IDisposable
{
    private AssemblyInput(string path, AssemblyDefinition assembly, IReadOnlyList<SymbolDocument>? documents, SourcesParsedAhead? sources)
    {
        Path = path;
        Assembly = assembly;
        HasSymbols = documents != null;
        SymbolDocuments = documents ?? Array.Empty<SymbolDocument>();
        SourcesParsedAhead = sources;
    }

    /// <summary>The path as the user gave it (reports echo it unchanged).</summary>
    public string Path { get; }

    public AssemblyDefinition Assembly { get; }

    public ModuleDefinition Module => Assembly.MainModule;

    public string Name => Assembly.Name.Name;

    public Guid Mvid => Module.Mvid;

    public bool HasSymbols { get; }

    /// <summary>
    /// Every source document the PDB lists. Cecil reaches documents only through sequence points,
    /// and a file that declares only interfaces, enums, constants, fields or extern methods has
    /// none; its declarations must still be locatable.
    /// </summary>
    public IReadOnlyList<SymbolDocument> SymbolDocuments { get; }

    /// <summary>The PDB's sources being parsed on another thread, when <see cref="Load"/> was asked to; else null.</summary>
    public SourcesParsedAhead? SourcesParsedAhead { get; }

    /// <summary>
    /// Reads two builds at once, the new one on a thread of its own, each with its sources parsed ahead (see
    /// <see cref="Load"/>): reading is half of a diff, and on a machine with a core to spare its two halves take the
    /// time of one. Each build's reading touches only its own Cecil module (Mono.Cecil shares no state between
    /// modules but a table of primitive types, published with a compare-exchange) and its own parsing thread; the
    /// inputs are the same as two <see cref="Load"/>s in a row would give. So are the failures: the base's is thrown
    /// when both fail, as when the base was read first, and a build read while the other failed is disposed.
    /// </summary>
    public static (AssemblyInput Base, AssemblyInput New) LoadBoth(string basePath, string newPath, SourcePathOptions sourcePaths)
    {
        var loadingNew = Task.Factory.StartNew(() => Load(newPath, sourcePaths), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        AssemblyInput @base;
        try
        {
            @base = Load(basePath, sourcePaths);
        }
        catch
        {
            // The other build is waited for (WhenAny does not throw its failure: the base's is the one reported) and
            // disposed, so that nothing goes on reading once the diff has failed.
            Task.WhenAny(loadingNew).Wait();
            if (loadingNew.Status == TaskStatus.RanToCompletion)
                loadingNew.Result.Dispose();
            throw;
        }
        try
        {
            return (@base, loadingNew.GetAwaiter().GetResult());
        }
        catch
        {
            @base.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads two builds in turn on the calling thread, with no thread of their own and no sources parsed ahead (the
    /// locator parses them when it needs them): what a diff does where no core is free (<see cref="SpareCore"/>).
    /// Failures are as <see cref="LoadBoth"/>'s.
    /// </summary>
    public static (AssemblyInput Base, AssemblyInput New) LoadInTurn(string basePath, string newPath)
    {
        var @base = Load(basePath);
        try
        {
            return (@base, Load(newPath));
        }
        catch
        {
            @base.Dispose();
            throw;
        }
    }

    /// <summary>Reads an assembly; any failure becomes a <see cref="PatchGenException"/> with PG0001.</summary>
    /// <param name="parseSourcesWith">
    /// When given, the sources the PDB names are parsed on another thread from the moment its documents are read
    /// (<see cref="SourcesParsedAhead"/>), for a <see cref="SourceLocator"/> with these same options.
    /// </param>
    /// <param name="parseAfter">For tests: the parsing thread waits for this first.</param>
    public static AssemblyInput Load(string path, SourcePathOptions? parseSourcesWith = null, Task? parseAfter = null)
    {
        if (!File.Exists(path))
            throw Unreadable(path, Directory.Exists(path) ? "is a directory, not an assembly" : "file not found");

        byte[] image;
        try
        {
            // Read the whole file up front: Cecil then never holds the file open, and a truncated
            // file is detected while we still know which input it was.
            image = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, "cannot be read: " + e.Message);
        }

        AssemblyDefinition assembly;
        try
        {
            assembly = AssemblyDefinition.ReadAssembly(new MemoryStream(image, writable: false), new ReaderParameters(ReadingMode.Deferred)
            {
                AssemblyResolver = NoAssemblyResolver.Instance,
                ReadSymbols = false,
                InMemory = true,
            });
        }
        catch (Exception e)
        {
            throw Unreadable(path, e is BadImageFormatException
                ? "not a managed assembly, or its PE image is corrupt"
                : "corrupt or truncated metadata (" + e.GetType().Name + ")");
        }

        var documents = TryReadSymbols(assembly.MainModule, path, image);
        var sources = documents != null && parseSourcesWith != null ? SourcesParsedAhead.Start(documents, parseSourcesWith, parseAfter) : null;
        try
        {
            TouchEverything(assembly.MainModule);
        }
        catch (Exception e) when (e is not PatchGenException)
        {
            sources?.Cancel();
            assembly.Dispose();
            throw Unreadable(path, "corrupt metadata or method bodies (" + e.GetType().Name + ")");
        }

        return new AssemblyInput(path, assembly, documents, sources);
    }

    /// <returns>The PDB's documents, or null when there are no usable symbols.</returns>
    private static IReadOnlyList<SymbolDocument>? TryReadSymbols(ModuleDefinition module, string path, byte[] image)
    {
        try
        {
            if (module.HasDebugHeader)
            {
                var header = module.GetDebugHeader();
                if (header.Entries.Any(e => e.Directory.Type == ImageDebugType.EmbeddedPortablePdb))
                {
                    module.ReadSymbols(new EmbeddedPortablePdbReaderProvider().GetSymbolReader(module, path), throwIfSymbolsAreNotMaching: true);
                    return ReadDocuments(() =>
                    {
                        using var pe = new PEReader(new MemoryStream(image, writable: false));
                        var entry = pe.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
                        return pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
                    });
                }
            }

            var pdb = System.IO.Path.ChangeExtension(path, ".pdb");
            if (!File.Exists(pdb))
                return null;
            var bytes = File.ReadAllBytes(pdb);
            module.ReadSymbols(new PortablePdbReaderProvider().GetSymbolReader(module, new MemoryStream(bytes, writable: false)), throwIfSymbolsAreNotMaching: true);
            // The bytes are never written again: the document reader can share them rather than copy the PDB.
            return ReadDocuments(() => MetadataReaderProvider.FromPortablePdbImage(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(bytes)));
        }
        catch (Exception)
        {
            // A stale, Windows-format or corrupt PDB costs only source locations (PG0004), never the diff.
            return null;
        }
    }

    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    /// <summary>
    /// The Document table, with embedded source text where the PDB carries it. Cecil already read
    /// these symbols: if this second reading fails, only the extra documents are lost, not the symbols.
    /// </summary>
    private static List<SymbolDocument> ReadDocuments(Func<MetadataReaderProvider> open)
    {
        try
        {
            using var provider = open();
            return ReadDocuments(provider.GetMetadataReader());
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or InvalidDataException or IOException or ArgumentException)
        {
            return new List<SymbolDocument>();
        }
    }

    private static List<SymbolDocument> ReadDocuments(MetadataReader reader)
    {
        var documents = new List<SymbolDocument>();
        foreach (var handle in reader.Documents)
        {
            var name = reader.GetString(reader.GetDocument(handle).Name);
            string? text = null;
            foreach (var cdiHandle in reader.GetCustomDebugInformation(handle))
            {
                var cdi = reader.GetCustomDebugInformation(cdiHandle);
                if (reader.GetGuid(cdi.Kind) == EmbeddedSourceKind)
                    text = DecodeEmbeddedSource(reader.GetBlobBytes(cdi.Value));
            }
            documents.Add(new SymbolDocument(name, text));
        }
        return documents;
    }

    /// <summary>Embedded source: an int32 format (0 = raw, otherwise the inflated size) then the bytes, deflated unless raw.</summary>
    private static string DecodeEmbeddedSource(byte[] blob)
    {
        int format = BitConverter.ToInt32(blob, 0);
        if (format == 0)
            return System.Text.Encoding.UTF8.GetString(blob, 4, blob.Length - 4);
        using var inflated = new MemoryStream(format);
        using (var deflate = new DeflateStream(new MemoryStream(blob, 4, blob.Length - 4, writable: false), CompressionMode.Decompress))
            deflate.CopyTo(inflated);
        return System.Text.Encoding.UTF8.GetString(inflated.GetBuffer(), 0, (int)inflated.Length);
    }

    /// <summary>
    /// Forces Cecil to decode every body, signature and attribute blob now. Collections are read
    /// through their getters (<c>CustomAttributes</c>, <c>GenericParameters</c>, <c>Overrides</c>),
    /// never just tested with <c>Has...</c>: Cecil caches a collection once read, even an empty one,
    /// but answers <c>Has...</c> of a member without any by locking the module and searching the
    /// metadata again, every time; on a large assembly the comparison asks millions of times.
    /// </summary>
    private static void TouchEverything(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
        {
            _ = type.GenericParameters.Count;
            _ = type.BaseType?.FullName;
            foreach (var i in type.Interfaces)
                _ = i.InterfaceType.FullName;
            TouchAttributes(type);
            foreach (var field in type.Fields)
            {
                _ = field.FieldType.FullName;
                _ = field.HasConstant ? field.Constant : null;
                _ = field.InitialValue;
                TouchAttributes(field);
            }
            foreach (var method in type.Methods)
            {
                // The signature (return and parameter types) was decoded when the type's methods were
                // read; formatting method.FullName here only made a string per method for the GC.
                _ = method.GenericParameters.Count;
                _ = method.Overrides.Count;
                TouchAttributes(method);
                TouchAttributes(method.MethodReturnType);
                foreach (var p in method.Parameters)
                {
                    _ = p.HasConstant ? p.Constant : null;
                    TouchAttributes(p);
                }
                if (method.HasBody)
                {
                    var body = method.Body;
                    foreach (var instruction in body.Instructions)
                        _ = instruction.Operand;
                    _ = body.ExceptionHandlers.Count;
                    _ = method.DebugInformation.HasSequencePoints;
                }
            }
            foreach (var property in type.Properties)
                TouchAttributes(property);
            foreach (var evt in type.Events)
                TouchAttributes(evt);
        }
        foreach (var resource in module.Resources)
        {
            if (resource is EmbeddedResource embedded)
                _ = embedded.GetResourceData();
        }
    }

    private static void TouchAttributes(ICustomAttributeProvider provider)
    {
        // Attributes are compared by constructor and raw blob (decoding enum arguments would need the
        // assemblies that define them), so the blob is what must be readable.
        foreach (var attribute in provider.CustomAttributes)
        {
            _ = attribute.Constructor.FullName;
            _ = attribute.GetBlob();
        }
    }

    private static PatchGenException Unreadable(string path, string reason)
        => new(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, path, reason));

    public void Dispose()
    {
        SourcesParsedAhead?.Cancel();
        Assembly.Dispose();
    }

    /// <summary>
    /// The diff never needs other assemblies: everything is compared by name. Refusing to resolve
    /// keeps the comparison independent of what happens to be installed on the machine.
    /// </summary>
    private sealed class NoAssemblyResolver : IAssemblyResolver
    {
        public static readonly NoAssemblyResolver Instance = new();

        public AssemblyDefinition Resolve(AssemblyNameReference name) => throw new AssemblyResolutionException(name);

        public AssemblyDefinition Resolve(AssemblyNameReference name, ReaderParameters parameters) => throw new AssemblyResolutionException(name);

        public void Dispose()
        {
        }
    }
}

/// <summary>A source document named by the PDB, with its text when the PDB embeds it.</summary>
internal sealed record SymbolDocument(string Path, string? EmbeddedText);
