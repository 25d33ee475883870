using System.CommandLine;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;
using PatchGen.Emit;
using RuntimeFolder = PatchGen.Runtime.PatchDirectory;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>
/// <c>patchgen install &lt;patch.dll&gt; --dir &lt;folder&gt; [--name &lt;file.dll&gt;]</c>: puts a patch into a
/// patch directory (docs/patch-directory.md), atomically, so that every process following the folder
/// applies it now and again after each restart. Refused (one PG line, exit 2, the folder untouched): a
/// file that is not a whole patch (PG0001), a signature that does not verify (PG0006), a name the
/// runtime would not read, a folder it would refuse, and a patch ID another file of the folder already
/// carries (PG4003: the runtime would refuse the second).
/// </summary>
internal static class InstallCommand
{
    public static Command Create(TextWriter stdout)
    {
        var patch = new Argument<string>("patch.dll") { Description = "A patch written by 'patchgen build'." };
        var dir = new Option<string>("--dir") { Description = "The patch directory (PATCHGEN_PATCH_DIR of the processes); created if missing.", Required = true };
        var name = new Option<string?>("--name") { Description = "The file name in the folder (default: the patch's own). Patches apply in ordinal order of file name: '10-fix.dll' before '20-fix.dll'." };
        var command = new Command("install", "Install a patch into a patch directory, atomically: processes following the folder apply it now and at every start.")
        {
            patch, dir, name,
        };
        command.SetAction(parse => Install(parse.GetRequiredValue(patch), parse.GetRequiredValue(dir), parse.GetValue(name), stdout));
        return command;
    }

    private static int Install(string patchPath, string folder, string? name, TextWriter stdout)
    {
        // Every refusal is an input error (exit 2) and leaves the folder untouched.
        static PatchGenException Refused(PatchDiagnostic diagnostic) => new(diagnostic);

        name ??= Path.GetFileName(patchPath);
        if (!RuntimeFolder.PatchFileNames.IsPatchFileName(name) || name.IndexOfAny(new[] { '/', '\\' }) >= 0)
            throw CommandErrors.Input(name, "a patch directory's processes read only file names that end in .dll and do not start with a dot; choose one with --name");

        PatchDescription description;
        byte[] image;
        try
        {
            description = PatchInspector.Inspect(patchPath);
            image = File.ReadAllBytes(patchPath);
        }
        catch (Exception e) when (e is not (PatchGenException or OutOfMemoryException))
        {
            throw CommandErrors.Input(patchPath, "not a readable patch: " + e.GetType().Name + ": " + e.Message, e);
        }
        // What the runtime itself will read (and the bytes that will be written, not a later state of the file).
        var header = RuntimeFolder.PatchHeaderReader.Read(image, out var problem);
        if (header is null || header.Id != description.Id)
            throw CommandErrors.Input(patchPath, problem ?? "changed while it was being read");
        if (description.Signature is { Signed: true, Valid: false })
            throw Refused(PatchFolder.Error(DiagnosticCatalog.PatchSignatureInvalid, patchPath, "its signature does not verify (" + description.Signature.Problem + "): it was changed after it was signed"));

        try
        {
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(folder);
                else
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            if (PatchFolder.Refusal(folder) is { } refusal)
                throw Refused(refusal);

            var target = Path.Combine(folder, name);
            string? replacing = null;
            foreach (var other in Directory.EnumerateFiles(folder).Where(f => RuntimeFolder.PatchFileNames.IsPatchFileName(Path.GetFileName(f))))
            {
                var otherHeader = TryReadHeader(other);
                if (string.Equals(Path.GetFileName(other), name, StringComparison.Ordinal))
                    replacing = otherHeader?.Id;
                else if (otherHeader?.Id == header.Id)
                    throw Refused(PatchFolder.Error(DiagnosticCatalog.PatchConflict, header.Id, $"{other} already carries this patch ID; uninstall it, or install under its name ('--name {Path.GetFileName(other)}') to replace it"));
            }

            AtomicFile.Write(target, image);
            stdout.WriteLine($"patchgen: installed patch '{description.Id}' ({description.TargetAssembly}, base MVID {description.BaseMvid}{(description.Cumulative ? ", cumulative" : "")}, {PatchFolder.SignatureText(description.Signature)}) as {target}"
                + (replacing is null ? "" : $", replacing patch '{replacing}'"));
            stdout.WriteLine($"patchgen: processes following {folder} apply it now and at every start");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandErrors.Input(folder, "cannot write the patch directory: " + e.Message, e);
        }
    }

    private static RuntimeFolder.PatchHeader? TryReadHeader(string path)
    {
        try
        {
            return RuntimeFolder.PatchHeaderReader.Read(File.ReadAllBytes(path), out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
