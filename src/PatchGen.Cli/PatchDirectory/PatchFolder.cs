using PatchGen.Diagnostics;
using PatchGen.Emit;
using RuntimeFolder = PatchGen.Runtime.PatchDirectory;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>
/// A patch directory read the way the runtime reads it (docs/patch-directory.md): the same names
/// (<c>*.dll</c>, no leading dot), the same order (ordinal by file name), the same refusal of a folder
/// other users can write. Each file is read with Mono.Cecil (<c>patchgen inspect</c>), never loaded.
/// </summary>
internal static class PatchFolder
{
    /// <summary>The patch files of <paramref name="folder"/>, in the order the runtime applies them.</summary>
    public static IReadOnlyList<PatchFolderEntry> Read(string folder)
    {
        var entries = new List<PatchFolderEntry>();
        foreach (var name in Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
                     .Where(RuntimeFolder.PatchFileNames.IsPatchFileName).Order(RuntimeFolder.PatchFileNames.Order))
        {
            var path = Path.Combine(folder, name);
            if (Directory.Exists(path))
                continue;
            try
            {
                entries.Add(new PatchFolderEntry(name, path, PatchInspector.Inspect(path), null));
            }
            catch (PatchGenException e)
            {
                entries.Add(new PatchFolderEntry(name, path, null, e.Diagnostic));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Cecil reads lazily: corrupt metadata surfaces as whatever the reader hit (as in inspect).
                entries.Add(new PatchFolderEntry(name, path, null, Error(DiagnosticCatalog.InputUnreadable, path, "not a readable patch: corrupt metadata (" + e.GetType().Name + ": " + e.Message + ")")));
            }
        }
        return entries;
    }

    /// <summary>
    /// Why the runtime would refuse <paramref name="folder"/> (another user could write it or an
    /// ancestor), as a PG0001 diagnostic; null when it would follow it.
    /// </summary>
    public static PatchDiagnostic? Refusal(string folder)
    {
        var real = RuntimeFolder.RealPath.Of(folder);
        if (real is null)
            return Error(DiagnosticCatalog.InputUnreadable, folder, "no such folder");
        var problem = RuntimeFolder.WritableByOthers.FolderProblem(real, new Dictionary<string, string?>(StringComparer.Ordinal));
        return problem is null ? null : Error(DiagnosticCatalog.InputUnreadable, folder, "a process would refuse this patch directory: " + problem);
    }

    public static PatchDiagnostic Error(DiagnosticDescriptor descriptor, params object[] args) => PatchDiagnostic.Of(descriptor, args);

    public static string SignatureText(PatchSignature signature)
        => !signature.Signed ? "unsigned"
            : signature.Valid == false ? $"signed {signature.PublicKeyToken}, INVALID: {signature.Problem}"
            : $"signed {signature.PublicKeyToken}";
}
