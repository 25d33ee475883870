using System.Text;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// The expected text of a golden test, kept under testdata/golden and reviewed like code
/// (testdata/golden/README.md). With <c>PATCHGEN_UPDATE_GOLDEN=1</c> a test rewrites its file with
/// what the code writes now instead of comparing, so that a deliberate change becomes a diff to review.
/// </summary>
public static class GoldenFile
{
    public const string UpdateVariable = "PATCHGEN_UPDATE_GOLDEN";

    public static string Directory => Path.Combine(Repository.TestData, "golden");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>
    /// Compares <paramref name="actual"/> with testdata/golden/<paramref name="relativePath"/> (or, when
    /// updating, writes it there if it differs). Line endings are compared as "\n" whatever the checkout did.
    /// </summary>
    public static void Verify(string relativePath, string actual)
    {
        var path = Path.Combine(Directory, relativePath);
        string display = "testdata/golden/" + relativePath.Replace('\\', '/');
        actual = Normalize(actual);
        string? expected = File.Exists(path) ? Normalize(File.ReadAllText(path)) : null;
        if (Updating)
        {
            // Only a real change is written, so that an update run leaves unchanged files untouched.
            if (expected != actual)
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            return;
        }
        if (expected is null)
            throw new GoldenMismatchException($"{display} does not exist: run the test with {UpdateVariable}=1 to write it, then review it.");
        if (expected == actual)
            return;
        throw new GoldenMismatchException(
            $"{display} is not what the code writes now. If the change is intended, run the test with {UpdateVariable}=1 and review `git diff`.\n"
            + LineDiff.Unified(expected, actual, display, "actual output"));
    }

    /// <summary>"\n" line endings and exactly one final newline.</summary>
    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";
}
