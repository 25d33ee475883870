using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// Bytes no client would send, on raw connections: each gets one error response or a close, and the
/// channel (and the process) goes on serving fresh clients.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlProtocolAbuseTests
{
    public static TheoryData<string, byte[]> ProtocolViolations => new()
    {
        { "garbage instead of a frame", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n") },
        { "a frame just over 64 MiB", BitConverter.GetBytes(64 * 1024 * 1024 + 1) },
        { "not JSON", Frame("{\"v\":1,\"op\":") },
        { "not UTF-8", Frame(new byte[] { 0xFF, 0xFE, 0x00, 0x7B }) },
        { "an empty frame", Frame(Array.Empty<byte>()) },
        { "an array", Frame("[1,2,3]") },
        { "a string", Frame("\"status\"") },
        { "null", Frame("null") },
        { "nested too deep", Frame(new string('[', 5000) + new string(']', 5000)) },
        { "no op", Frame("{\"v\":1}") },
        { "an op that is not a string", Frame("{\"v\":1,\"op\":7}") },
        { "an unknown op", Frame("{\"v\":1,\"op\":\"reboot\"}") },
        { "no version", Frame("{\"op\":\"status\"}") },
        { "another version", Frame("{\"v\":2,\"op\":\"status\"}") },
    };

    [Theory]
    [MemberData(nameof(ProtocolViolations))]
    public void AProtocolViolationGetsOneErrorAndTheConnectionIsClosed(string what, byte[] bytes)
    {
        using (var socket = RawConnect())
        {
            socket.Send(bytes);
            var message = AssertError(ReadResponse(socket), "PG0001");
            Assert.False(string.IsNullOrWhiteSpace(message), what);
            Assert.True(IsClosed(socket), what + ": the connection stayed open");
        }
        AssertChannelWorks();
    }

    [Fact]
    public void ALengthPrefixOfOneGibibyteIsRefusedWithoutAllocatingIt()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using (var socket = RawConnect())
        {
            socket.Send(BitConverter.GetBytes(1 << 30));
            Assert.Contains("over the limit", AssertError(ReadResponse(socket), "PG0001"));
            Assert.True(IsClosed(socket));
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated} bytes were allocated");
        AssertChannelWorks();
    }

    [Fact]
    public void AClaimedFrameThatNeverComesCostsOnlyWhatArrived()
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        using (var socket = RawConnect())
        {
            // Within the limit, but only ten bytes follow before the client gives up.
            socket.Send(BitConverter.GetBytes(60 * 1024 * 1024));
            socket.Send(new byte[10]);
            socket.Shutdown(SocketShutdown.Send);
            Assert.Null(ReadResponse(socket));
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 16L * 1024 * 1024, $"{allocated} bytes were allocated");
        AssertChannelWorks();
    }

    [Theory]
    [InlineData("a length prefix cut short", new byte[] { 5, 0 })]
    [InlineData("a body cut short", new byte[] { 100, 0, 0, 0, (byte)'{', (byte)'"' })]
    public void ATruncatedFrameIsClosedWithoutAReply(string what, byte[] bytes)
    {
        using (var socket = RawConnect())
        {
            socket.Send(bytes);
            socket.Shutdown(SocketShutdown.Send);
            Assert.True(ReadResponse(socket) is null, what);
        }
        AssertChannelWorks();
    }

    [Fact]
    public void AClientThatConnectsAndLeavesHarmsNothing()
    {
        RawConnect().Dispose();
        AssertChannelWorks();
    }

    public static TheoryData<string, string> MalformedFields => new()
    {
        { "apply without image", "{\"v\":1,\"op\":\"apply\",\"source\":\"x.dll\"}" },
        { "apply with a numeric image", "{\"v\":1,\"op\":\"apply\",\"image\":12}" },
        { "apply with an image that is not base64", "{\"v\":1,\"op\":\"apply\",\"image\":\"%%%\"}" },
        { "apply with a numeric source", "{\"v\":1,\"op\":\"apply\",\"image\":\"AQID\",\"source\":1}" },
        { "disable without id", "{\"v\":1,\"op\":\"disable\"}" },
        { "wait without timeoutMs", "{\"v\":1,\"op\":\"wait\"}" },
        { "wait with a negative timeout", "{\"v\":1,\"op\":\"wait\",\"timeoutMs\":-5}" },
        { "wait with a fractional timeout", "{\"v\":1,\"op\":\"wait\",\"timeoutMs\":1.5}" },
        { "wait with a string timeout", "{\"v\":1,\"op\":\"wait\",\"timeoutMs\":\"10\"}" },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public void AKnownOpWithBadFieldsIsAnErrorAndTheConnectionGoesOn(string what, string json)
    {
        using var socket = RawConnect();
        socket.Send(Frame(json));
        var message = AssertError(ReadResponse(socket), "PG0001");
        Assert.False(string.IsNullOrWhiteSpace(message), what);
        socket.Send(Frame("{\"v\":1,\"op\":\"status\"}"));
        AssertOk(ReadResponse(socket)!);
    }

    [Fact]
    public void IdleConnectionsNeverLockTheOperatorOut()
    {
        // Twenty clients connect, ask once and stay connected saying nothing, as forgotten sessions do;
        // four more stop in the middle of a frame. Each newcomer is served: the one idle the longest gives way.
        var open = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var socket = RawConnect();
                open.Add(socket);
                socket.Send(Frame("{\"v\":1,\"op\":\"status\"}"));
                AssertOk(ReadResponse(socket) ?? throw new Xunit.Sdk.XunitException($"connection {i} was not served"));
            }
            for (int i = 0; i < 4; i++)
            {
                var socket = RawConnect();
                open.Add(socket);
                socket.Send(BitConverter.GetBytes(100)); // a length prefix, and then silence
            }
            // The operator's request gets through, with the channel's own client.
            AssertChannelWorks();
            // And the cap still bounds the server's threads: at most 8 sessions (plus the ones just
            // admitted by evicting) are left; the oldest of ours were closed by the server.
            int closed = open.Count(IsClosedNow);
            Assert.True(closed >= open.Count - 9, $"only {closed} of {open.Count} idle connections were closed");
        }
        finally
        {
            foreach (var socket in open)
                socket.Dispose();
        }
    }

    /// <summary>Closed by the server: readable with nothing to read (without blocking, unlike a receive).</summary>
    private static bool IsClosedNow(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    [Fact]
    public void ABadConnectionIsLogged()
    {
        var lines = new ConcurrentQueue<string>();
        var previous = PatchRuntime.Log;
        PatchRuntime.Log = lines.Enqueue;
        try
        {
            using var socket = RawConnect();
            socket.Send(BitConverter.GetBytes(1 << 30));
            AssertError(ReadResponse(socket), "PG0001");
        }
        finally
        {
            PatchRuntime.Log = previous;
        }
        Assert.Contains(lines, l => l.StartsWith("patchgen: control channel:", StringComparison.Ordinal) && l.Contains("over the limit"));
    }

    [Fact]
    public void AThrowingLogDoesNotStopTheChannel()
    {
        var previous = PatchRuntime.Log;
        PatchRuntime.Log = _ => throw new InvalidOperationException("log is broken");
        try
        {
            using (var socket = RawConnect())
            {
                socket.Send(Frame("[]"));
                AssertError(ReadResponse(socket), "PG0001");
            }
            AssertChannelWorks();
        }
        finally
        {
            PatchRuntime.Log = previous;
        }
    }

    [Fact]
    public void ManyRequestsOnOneConnectionAlternate()
    {
        using var socket = RawConnect();
        // Two requests in one write: the server still answers them one after the other.
        var two = Frame("{\"v\":1,\"op\":\"status\"}").Concat(Frame("{\"v\":1,\"op\":\"wait\",\"timeoutMs\":0}")).ToArray();
        socket.Send(two);
        Assert.True(AssertOk(ReadResponse(socket)!).ContainsKey("patches"));
        Assert.True(AssertOk(ReadResponse(socket)!).ContainsKey("completed"));
    }
}
