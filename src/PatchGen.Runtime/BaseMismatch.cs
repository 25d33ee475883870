namespace PatchGen.Runtime;

/// <summary>The last argument of PG0005 (<see cref="PatchGen.Diagnostics.DiagnosticCatalog.PatchForOtherBase"/>): what the process has instead of the recorded base.</summary>
internal static class BaseMismatch
{
    public static string OtherMvid(Guid actual) => $"the loaded one has MVID {actual}";

    public const string NotLoaded = "this process has not loaded it";
}
