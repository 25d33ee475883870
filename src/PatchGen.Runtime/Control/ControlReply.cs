using System.Text.Json.Nodes;

namespace PatchGen.Runtime.Control;

/// <summary>The response to one frame, and whether the connection ends after it (a request that breaks the protocol).</summary>
internal readonly record struct ControlReply(JsonObject Response, bool CloseConnection);
