using System.Text.Json.Nodes;

namespace PatchGen.Cli.Live;

/// <summary>How the tool names a thread of a status answer (docs/control-channel.md, "pendingThreads").</summary>
internal static class ThreadLabel
{
    /// <summary>"thread 12 'name'", or "OS thread 4711 'name'" for a thread known only from a stack snapshot (managed ID 0).</summary>
    public static string Of(JsonObject thread)
    {
        var name = thread["name"]?.GetValue<string>();
        var who = thread["id"]?.GetValue<int>() is int managed && managed != 0 ? $"thread {managed}" : $"OS thread {thread["osThreadId"]}";
        return name is null ? who : $"{who} '{name}'";
    }
}
