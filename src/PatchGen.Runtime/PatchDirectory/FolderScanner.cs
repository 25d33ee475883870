using System.Security.Cryptography;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Reads the folder whole (docs/patch-directory.md): every <c>*.dll</c> not named with a leading dot,
/// through symbolic links, in ordinal order of file name. A file is usable when nobody but this user or
/// root can write it or the folder that really holds it, it did not change while it was read, and its
/// bytes are a complete patch image. Never throws for what is in the folder.
/// </summary>
internal static class FolderScanner
{
    public static FolderScan Scan(string folder)
    {
        var fingerprint = FolderFingerprint.Take(folder);
        var realFolder = RealPath.Of(folder);
        if (realFolder is null)
            return Unusable(fingerprint, "it does not exist (waiting for it to appear)");
        if (!Directory.Exists(realFolder))
            return Unusable(fingerprint, Error(folder, "it is not a folder"));

        var ancestors = new Dictionary<string, string?>(StringComparer.Ordinal);
        var folderProblem = WritableByOthers.FolderProblem(realFolder, ancestors);
        if (folderProblem is not null)
            return Unusable(fingerprint, Error(folder, "refusing it: " + folderProblem + "; who can write the folder can patch this process"));

        List<string> names;
        try
        {
            names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
                .Where(PatchFileNames.IsPatchFileName).Order(PatchFileNames.Order).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return Unusable(fingerprint, "it does not exist (waiting for it to appear)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unusable(fingerprint, Error(folder, "it cannot be listed: " + e.Message));
        }

        var patches = new List<PatchFile>();
        var unusable = new List<UnusableFile>();
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            switch (Read(path, name, realFolder, ancestors))
            {
                case PatchFile patch:
                    patches.Add(patch);
                    break;
                case UnusableFile bad:
                    unusable.Add(bad);
                    break;
            }
        }
        return new FolderScan(fingerprint, null, patches, unusable);
    }

    /// <summary>A <see cref="PatchFile"/>, an <see cref="UnusableFile"/>, or null for a name that is not a file (any more).</summary>
    private static object? Read(string path, string name, string realFolder, IDictionary<string, string?> ancestors)
    {
        FileStatus? before;
        try
        {
            before = FileStatus.Of(path, followLinks: true);
        }
        catch (IOException e)
        {
            return new UnusableFile(name, "?", Error(path, "cannot be examined: " + e.Message), MaySettle: true);
        }
        if (before is null)
        {
            // A link to nothing is still a name in the folder: a Kubernetes volume between its ..data swap
            // and the removal of the names the update dropped. Until it settles, the version applied stays.
            return new FileInfo(path).LinkTarget is not null
                ? new UnusableFile(name, "dangling", Error(path, "is a symbolic link to nothing"), MaySettle: true)
                : null; // gone since the listing
        }
        if (!before.IsRegularFile)
            return null; // a folder named *.dll
        var stamp = FolderFingerprint.Stamp(before);
        var realFile = RealPath.Of(path);
        if (realFile is null)
            return null;
        var refusal = WritableByOthers.FileProblem(realFile, realFolder, ancestors);
        if (refusal is not null)
            return new UnusableFile(name, stamp, Error(path, "refusing it: " + refusal + "; who can write a patch file can patch this process"), MaySettle: false);

        byte[] image;
        try
        {
            image = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is FileNotFoundException or DirectoryNotFoundException
                ? null
                : new UnusableFile(name, stamp, Error(path, "cannot be read: " + e.Message), MaySettle: true);
        }
        FileStatus? after;
        try
        {
            after = FileStatus.Of(path, followLinks: true);
        }
        catch (IOException)
        {
            after = null;
        }
        if (FolderFingerprint.Stamp(after) != stamp)
            return new UnusableFile(name, FolderFingerprint.Stamp(after), Error(path, "changed while it was being read"), MaySettle: true);

        var header = PatchHeaderReader.Read(image, out var problem);
        if (header is null)
            return new UnusableFile(name, stamp, Error(path, problem!), MaySettle: true);
        var identity = new PatchIdentity(name, Convert.ToHexStringLower(SHA256.HashData(image)));
        return new PatchFile(identity, path, image, header);
    }

    private static string Error(string path, string why)
        => "error " + DiagnosticCatalog.InputUnreadable.Id + ": " + DiagnosticCatalog.InputUnreadable.Format(path, why);

    private static FolderScan Unusable(FolderFingerprint fingerprint, string problem)
        => new(fingerprint, problem, Array.Empty<PatchFile>(), Array.Empty<UnusableFile>());
}
