using System.CommandLine;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>
/// <c>patchgen uninstall &lt;patch-id-or-file&gt; --dir &lt;folder&gt;</c>: removes a patch file from a patch
/// directory (one unlink, then the folder flushed); every process following the folder disables the
/// patch. The argument is a file name of the folder (with or without <c>.dll</c>), else a patch ID,
/// which removes every file carrying it. Nothing matching: one PG0001 line, exit 2.
/// </summary>
internal static class UninstallCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var which = new Argument<string>("patch-id-or-file") { Description = "A file name in the folder (10-fix.dll, or 10-fix), or a patch ID." };
        var dir = new Option<string>("--dir") { Description = "The patch directory.", Required = true };
        var command = new Command("uninstall", "Remove a patch from a patch directory: processes following the folder disable it.") { which, dir };
        command.SetAction(parse => Uninstall(parse.GetRequiredValue(which), parse.GetRequiredValue(dir), stdout, stderr));
        return command;
    }

    private static int Uninstall(string which, string folder, TextWriter stdout, TextWriter stderr)
    {
        int Fail(PatchDiagnostic diagnostic)
        {
            PatchGenCommandLine.WriteError(stderr, diagnostic);
            return ExitCodes.InputError;
        }

        if (!Directory.Exists(folder))
            return Fail(PatchFolder.Error(DiagnosticCatalog.InputUnreadable, folder, "no such folder"));
        try
        {
            var entries = PatchFolder.Read(folder);
            var byName = entries.Where(e => e.Name == which || e.Name == which + ".dll").ToList();
            var chosen = byName.Count > 0 ? byName : entries.Where(e => e.Patch?.Id == which).ToList();
            if (chosen.Count == 0)
                return Fail(PatchFolder.Error(DiagnosticCatalog.InputUnreadable, folder, $"no patch file or patch ID '{which}' in this patch directory (see 'patchgen list --dir {folder}')"));
            foreach (var entry in chosen)
            {
                AtomicFile.Delete(entry.Path);
                stdout.WriteLine($"patchgen: removed {entry.Path}{(entry.Patch is null ? "" : $" (patch '{entry.Patch.Id}')")}; processes following {folder} disable it");
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(PatchFolder.Error(DiagnosticCatalog.InputUnreadable, folder, "cannot change the patch directory: " + e.Message + " (a Kubernetes volume changes through its ConfigMap or Secret)"));
        }
    }
}
