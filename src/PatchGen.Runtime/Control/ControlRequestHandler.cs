using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PatchGen.Runtime.Control;

/// <summary>
/// Turns one request frame into its response by calling the public <see cref="PatchRuntime"/> API,
/// and nothing else: it never throws, whatever the bytes. A frame that is not a version 1 request
/// with a known op breaks the protocol and closes the connection after its error; a known op with
/// bad fields, or an operation the runtime refuses, is an error the client can follow up on.
/// </summary>
internal static class ControlRequestHandler
{
    public const int ProtocolVersion = 1;

    /// <summary>The catalogue ID of a malformed request or an unreadable patch.</summary>
    public static readonly string MalformedId = PatchGen.Diagnostics.DiagnosticCatalog.InputUnreadable.Id;

    /// <summary>A wait longer than a day is a client bug, not a plan.</summary>
    private const long MaxWaitMs = 24L * 60 * 60 * 1000;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    public static ControlReply Handle(byte[] frame)
    {
        JsonObject request;
        string op;
        try
        {
            var node = JsonNode.Parse(frame, documentOptions: ParseOptions);
            if (node is not JsonObject parsed)
                return Close("the request is not a JSON object");
            request = parsed;
            // Reading the properties builds the object's dictionary, which is where duplicate names throw.
            if (!TryGetInt64(request["v"], out long version) || version != ProtocolVersion)
                return Close($"the request does not carry \"v\": {ProtocolVersion.ToString(CultureInfo.InvariantCulture)}, the only control protocol version this process speaks");
            if (!TryGetString(request["op"], out var name))
                return Close("the request has no \"op\"");
            op = name;
        }
        catch (Exception e)
        {
            // JsonException for bad JSON; ArgumentException for duplicate property names; whatever
            // else bytes from outside can provoke is the client's fault too.
            return Close("the request is not valid JSON: " + e.Message);
        }

        try
        {
            return op switch
            {
                "apply" => Continue(Apply(request)),
                "status" => Continue(Status()),
                "wait" => Continue(Wait(request)),
                "disable" => Continue(Disable(request)),
                "force" => Continue(Force()),
                "process" => Continue(DescribeProcess()),
                _ => Close($"unknown op '{op}' (known: apply, status, wait, disable, force, process)"),
            };
        }
        catch (MalformedRequestException e)
        {
            return Continue(ControlJson.Error(MalformedId, $"{op}: {e.Message}"));
        }
        catch (PatchRuntimeException e)
        {
            return Continue(ControlJson.Error(e.DiagnosticId, e.Message));
        }
        catch (Exception e)
        {
            // The runtime promises PatchRuntimeException for refusals; anything else is a bug in it,
            // reported to the client rather than allowed to take the server thread down.
            ControlLog.Write($"{op} failed unexpectedly: {e}");
            return Continue(ControlJson.Error(MalformedId, $"{op} failed: {e.GetType().Name}: {e.Message}"));
        }
    }

    private static JsonObject Apply(JsonObject request)
    {
        var base64 = RequiredString(request, "image");
        byte[] image;
        try
        {
            image = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new MalformedRequestException("\"image\" is not base64");
        }
        var source = OptionalString(request, "source") ?? "(control channel)";
        var patch = PatchRuntime.Enable(image, null, ControlJson.OneLine(source));
        var response = ControlJson.Ok();
        response["patch"] = ControlJson.Patch(patch);
        return response;
    }

    private static JsonObject Status()
    {
        var status = PatchRuntime.GetStatus();
        var response = ControlJson.Ok();
        response["patches"] = new JsonArray(status.Patches.Select(p => (JsonNode?)ControlJson.Patch(p)).ToArray());
        response["transition"] = status.Transition is null ? null : ControlJson.Transition(status.Transition);
        response["lastFailure"] = status.LastFailure;
        return response;
    }

    private static JsonObject Wait(JsonObject request)
    {
        if (!TryGetInt64(request["timeoutMs"], out long timeoutMs) || timeoutMs < 0 || timeoutMs > MaxWaitMs)
            throw new MalformedRequestException($"\"timeoutMs\" must be a whole number of milliseconds from 0 to {MaxWaitMs.ToString(CultureInfo.InvariantCulture)}");
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(timeoutMs));
        var response = ControlJson.Ok();
        response["completed"] = result.Completed;
        response["warning"] = result.Warning;
        return response;
    }

    private static JsonObject Disable(JsonObject request)
    {
        var patch = PatchRuntime.Disable(RequiredString(request, "id"));
        var response = ControlJson.Ok();
        response["patch"] = ControlJson.Patch(patch);
        return response;
    }

    private static JsonObject Force()
    {
        var response = ControlJson.Ok();
        response["warning"] = PatchRuntime.Force();
        return response;
    }

    /// <summary>What <c>patchgen ps</c> shows of a process and <c>apply --all</c> matches on: its entry assembly and the assemblies it loaded.</summary>
    private static JsonObject DescribeProcess()
    {
        var response = ControlJson.Ok();
        response["pid"] = Environment.ProcessId;
        response["processName"] = ControlJson.OneLine(Path.GetFileNameWithoutExtension(Environment.ProcessPath) ?? "");
        response["entryAssembly"] = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        // The default context only: patches live in load contexts of their own and are listed by status.
        var names = System.Runtime.Loader.AssemblyLoadContext.Default.Assemblies
            .Select(a => a.GetName().Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        response["assemblies"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
        return response;
    }

    private static ControlReply Continue(JsonObject response) => new(response, CloseConnection: false);

    private static ControlReply Close(string message) => new(ControlJson.Error(MalformedId, message), CloseConnection: true);

    private static string RequiredString(JsonObject request, string field)
        => OptionalString(request, field) ?? throw new MalformedRequestException($"\"{field}\" is missing");

    private static string? OptionalString(JsonObject request, string field)
    {
        var node = request[field];
        if (node is null)
            return null;
        return TryGetString(node, out var value) ? value : throw new MalformedRequestException($"\"{field}\" must be a string");
    }

    private static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        if (node is not JsonValue json || json.GetValueKind() != JsonValueKind.String)
            return false;
        value = json.GetValue<string>();
        return true;
    }

    private static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue json && json.GetValueKind() == JsonValueKind.Number && json.TryGetValue(out value);
    }

    /// <summary>A known op with a missing or mistyped field: answered with PG0001, the connection stays usable.</summary>
    private sealed class MalformedRequestException(string message) : Exception(message);
}
