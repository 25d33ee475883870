using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// A <see cref="FeedStream"/> as a session's event source: stopping it ends the stream once the reader has read what
/// was written, as stopping an EventPipe session does once its buffered events are sent.
/// </summary>
internal sealed class CraftedNettraceSource(FeedStream feed) : INettraceSource
{
    public Stream Stream => feed;

    public void Stop() => feed.Complete();

    public void Dispose() => feed.Dispose();
}
