using System.Text.Json.Nodes;

namespace PatchGen.Cli.Live;

/// <summary>
/// One control channel <c>patchgen ps</c> found: the process behind it and its patches, or why it was
/// refused (it failed the client's checks, so nothing it says is believed) or could not be read.
/// </summary>
internal sealed record ControlledProcess(int Pid, string Endpoint)
{
    public const string Ok = "ok", RefusedStatus = "refused", ErrorStatus = "error";

    /// <summary><see cref="Ok"/>, <see cref="RefusedStatus"/> or <see cref="ErrorStatus"/>.</summary>
    public string Status { get; init; } = Ok;

    /// <summary>Why it was refused or could not be read; null when <see cref="Status"/> is ok.</summary>
    public string? Reason { get; init; }

    public string? ProcessName { get; init; }

    public string? EntryAssembly { get; init; }

    /// <summary>The simple names of the assemblies the process loaded (empty when its runtime cannot say).</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = Array.Empty<string>();

    /// <summary>The <c>status</c> response's patches.</summary>
    public JsonArray Patches { get; init; } = new();

    public JsonObject? Transition { get; init; }

    /// <summary>Whether the process loaded an assembly with this simple name (its entry assembly included).</summary>
    public bool HasLoaded(string assemblyName)
        => Status == Ok && (EntryAssembly == assemblyName || Assemblies.Contains(assemblyName, StringComparer.Ordinal));

    /// <summary>The process name and entry assembly, for result lines: <c>dotnet ShopService</c>.</summary>
    public string Label => string.Join(" ", new[] { ProcessName, EntryAssembly }.Where(s => !string.IsNullOrEmpty(s)));
}
