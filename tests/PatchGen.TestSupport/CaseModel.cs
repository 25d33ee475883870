using PatchGen.Diagnostics;

namespace PatchGen.TestSupport;

/// <summary>
/// The model a case of testdata/cases is judged under: a <c>model extended</c> line in its
/// <c>expected.txt</c>; without one, the simple model. Every harness (diff, parity, emit) reads it here.
/// </summary>
public static class CaseModel
{
    public const string Keyword = "model";

    public static PatchModel Of(string caseName)
    {
        foreach (var raw in File.ReadLines(Path.Combine(Repository.CasesDirectory, caseName, "expected.txt")))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0] != Keyword)
                continue;
            if (parts.Length != 2 || !PatchModels.TryParse(parts[1], out var model))
                throw new FormatException($"{caseName}/expected.txt: expected '{Keyword} {PatchModels.SimpleName}|{PatchModels.ExtendedName}', got '{raw.Trim()}'");
            return model;
        }
        return PatchModel.Simple;
    }
}
