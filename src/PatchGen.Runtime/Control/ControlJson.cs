using System.Text.Json;
using System.Text.Json.Nodes;

namespace PatchGen.Runtime.Control;

/// <summary>The JSON shapes of control channel responses (docs/control-channel.md, "Requests").</summary>
internal static class ControlJson
{
    public static JsonObject Ok() => new() { ["ok"] = true };

    public static JsonObject Error(string id, string message) => new()
    {
        ["ok"] = false,
        ["error"] = new JsonObject { ["id"] = id, ["message"] = OneLine(message) },
    };

    public static JsonObject Patch(PatchInfo patch)
    {
        var json = new JsonObject
        {
            ["id"] = patch.Id,
            ["target"] = patch.TargetAssembly,
            ["state"] = PatchEngine.Describe(patch.State),
            ["cumulative"] = patch.Cumulative,
            ["forced"] = patch.Forced,
            ["replaces"] = new JsonArray(patch.Replaces.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
            ["publicKeyToken"] = patch.PublicKeyToken,
        };
        // Only a patch of several assemblies: the replies for a patch of one stay as they were.
        if (patch.Assemblies.Count > 1)
            json["assemblies"] = new JsonArray(patch.Assemblies.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        return json;
    }

    public static JsonObject Transition(TransitionInfo transition) => new()
    {
        ["patchId"] = transition.PatchId,
        ["enabling"] = transition.Enabling,
        ["elapsedMs"] = (long)transition.Elapsed.TotalMilliseconds,
        ["pendingThreads"] = new JsonArray(transition.PendingThreads.Select(t => (JsonNode?)new JsonObject
        {
            ["id"] = t.ManagedThreadId,
            ["osThreadId"] = t.OsThreadId,
            ["name"] = t.Name,
            ["functions"] = new JsonArray(t.Functions.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        }).ToArray()),
    };

    /// <summary>Compact UTF-8, the way frames carry it.</summary>
    public static byte[] ToUtf8(JsonObject message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            message.WriteTo(writer);
        return buffer.ToArray();
    }

    /// <summary>Messages are one line (the CLI prints them as <c>error PGxxxx: message</c>).</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
