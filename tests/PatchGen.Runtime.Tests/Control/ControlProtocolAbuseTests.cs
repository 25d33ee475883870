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
    public void AFloodOfConnectionsIsCappedAndTheChannelRecovers()
    {
        var open = new List<Socket>();
        try
        {
            int served = 0;
            bool refused = false;
            // Connections of earlier tests may still be winding down, so the first refusal can come early;
            // what matters is that one comes, after no more than the cap (8) were served.
            for (int i = 0; i < 20 && !refused; i++)
            {
                var socket = RawConnect();
                open.Add(socket);
                try
                {
                    socket.Send(Frame("{\"v\":1,\"op\":\"status\"}"));
                    if (ReadResponse(socket) is { } response)
                    {
                        AssertOk(response);
                        served++;
                        continue;
                    }
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.Shutdown or SocketError.ConnectionReset)
                {
                }
                refused = true;
            }
            Assert.True(refused, $"{served} connections were served and none refused");
            Assert.InRange(served, 0, 8);
        }
        finally
        {
            foreach (var socket in open)
                socket.Dispose();
        }
        // The slots free up as their threads see the clients go.
        Assert.True(SpinWait.SpinUntil(() =>
        {
            try
            {
                AssertChannelWorks();
                return true;
            }
            catch (PatchGen.Runtime.Control.ControlChannelException)
            {
                Thread.Sleep(20);
                return false;
            }
        }, IoTimeout), "the channel did not recover");
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
