using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using PatchGen.Runtime.Control;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// The test process is its own target: it listens once (in a folder of its own, through the internal
/// override, so the environment stays untouched) and tests connect to their own pid. Every socket
/// operation here has a timeout, so a hung server fails a test instead of hanging the run.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class ControlChannelFixture
{
    public static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(20);

    private static readonly Lazy<string> ProcessEndpoint = new(() =>
    {
        // A folder that does not exist yet: the runtime creates it (0700).
        ControlEndpoint.DirectoryOverride = Path.Combine(PatchGen.TestSupport.InlineAssembly.TempDirectory("control"), "channel");
        return PatchRuntime.Listen();
    });

    /// <summary>This process's socket path.</summary>
    public static string Endpoint => ProcessEndpoint.Value;

    public static ControlClient Connect()
    {
        _ = Endpoint;
        return ControlClient.Connect(Environment.ProcessId, IoTimeout);
    }

    public static JsonObject Request(string op, params (string Name, JsonNode? Value)[] fields)
    {
        var request = new JsonObject { ["op"] = op };
        foreach (var (name, value) in fields)
            request[name] = value;
        return request;
    }

    public static JsonObject AssertOk(JsonObject response)
    {
        Assert.True(response["ok"]!.GetValue<bool>(), response.ToJsonString());
        return response;
    }

    /// <summary>Asserts an error response with <paramref name="id"/>; returns its message.</summary>
    public static string AssertError(JsonObject? response, string id)
    {
        Assert.NotNull(response);
        Assert.False(response["ok"]!.GetValue<bool>(), response.ToJsonString());
        Assert.Equal(id, response["error"]!["id"]!.GetValue<string>());
        var message = response["error"]!["message"]!.GetValue<string>();
        Assert.DoesNotContain('\n', message);
        return message;
    }

    /// <summary>A fresh client still gets an answer: whatever happened before did not harm the channel.</summary>
    public static void AssertChannelWorks()
    {
        using var client = Connect();
        AssertOk(client.Send(Request("status")));
    }

    /// <summary>A raw connection to <paramref name="path"/>, for bytes no client would send.</summary>
    public static Socket RawConnect(string? path = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)IoTimeout.TotalMilliseconds,
            SendTimeout = (int)IoTimeout.TotalMilliseconds,
        };
        socket.Connect(new UnixDomainSocketEndPoint(path ?? Endpoint));
        return socket;
    }

    public static byte[] Frame(string json) => Frame(Encoding.UTF8.GetBytes(json));

    public static byte[] Frame(byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BitConverter.TryWriteBytes(frame.AsSpan(0, 4), body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>
    /// Reads one response frame, written out independently of the runtime's framing code; null when
    /// the server closed the connection instead.
    /// </summary>
    public static JsonObject? ReadResponse(Socket socket)
    {
        var prefix = ReadExactly(socket, 4);
        if (prefix is null)
            return null;
        int length = BitConverter.ToInt32(prefix);
        Assert.InRange(length, 2, 16 * 1024 * 1024);
        var body = ReadExactly(socket, length) ?? throw new Xunit.Sdk.XunitException("the response frame was cut short");
        return Assert.IsType<JsonObject>(JsonNode.Parse(body));
    }

    /// <summary>True when the server closed the connection (end of stream, or a reset).</summary>
    public static bool IsClosed(Socket socket)
    {
        try
        {
            return socket.Receive(new byte[1]) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static byte[]? ReadExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            int read = socket.Receive(buffer, filled, count - filled, SocketFlags.None);
            if (read == 0)
                return filled == 0 ? null : throw new Xunit.Sdk.XunitException("the connection ended inside a frame");
            filled += read;
        }
        return buffer;
    }
}
