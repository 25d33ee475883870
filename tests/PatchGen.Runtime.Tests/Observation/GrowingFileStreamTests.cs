using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// <see cref="GrowingFileStream"/>: a file read while it is written, as a stack snapshot reads its trace while the
/// runtime disables the session. A read waits for bytes not written yet, and only the writer's end ends the stream.
/// </summary>
public sealed class GrowingFileStreamTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"patchgen-growing-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public GrowingFileStreamTests() => File.WriteAllBytes(_path, []);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void AReadWaitsForWhatIsNotWrittenYetAndTheEndComesOnlyWithTheWriters()
    {
        var writerDone = new TaskCompletionSource();
        using var writer = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var stream = new GrowingFileStream(_path, writerDone.Task);
        var read = new List<byte>();
        var firstChunk = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            var buffer = new byte[16];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (read)
                    read.AddRange(buffer[..n]);
                if (read.Count >= 3)
                    firstChunk.Set();
            }
        })
        { IsBackground = true };
        reader.Start();

        // Nothing written: the reader waits, it does not end.
        Assert.False(reader.Join(TimeSpan.FromMilliseconds(50)), "the stream ended before the writer was done");

        writer.Write([1, 2, 3]);
        writer.Flush();
        Assert.True(firstChunk.Wait(Bound), "the bytes written did not reach the reader");
        Assert.False(reader.Join(TimeSpan.FromMilliseconds(50)), "the stream ended at the end of what was written so far");

        writer.Write([4, 5]);
        writer.Flush();
        writerDone.SetResult();
        Assert.True(reader.Join(Bound), "the stream did not end once the writer was done");
        lock (read)
            Assert.Equal([1, 2, 3, 4, 5], read);
    }

    [Fact]
    public void WhatWasWrittenBeforeTheWriterEndedIsReadBeforeTheEnd()
    {
        File.WriteAllBytes(_path, [7, 8, 9]);
        using var stream = new GrowingFileStream(_path, Task.CompletedTask);
        var buffer = new byte[2];
        Assert.Equal(2, stream.Read(buffer, 0, 2));
        Assert.Equal(1, stream.Read(buffer, 0, 2));
        Assert.Equal(9, buffer[0]);
        Assert.Equal(0, stream.Read(buffer, 0, 2));
    }

    [Fact]
    public void AnEmptyFileOfADoneWriterEndsAtOnce()
    {
        using var stream = new GrowingFileStream(_path, Task.CompletedTask);
        Assert.Equal(0, stream.Read(new byte[4], 0, 4));
        Assert.False(stream.CanSeek);
    }
}
