namespace PatchGen.Runtime.Observation;

/// <summary>
/// Where a <see cref="RuntimeEventSession"/> reads its NetTrace stream from: an EventPipe session of this
/// process (<see cref="EventPipeSession"/>), or, in tests, a stream crafted event by event, so that the
/// order in which events of several threads arrive can be chosen rather than hoped for.
/// </summary>
internal interface INettraceSource : IDisposable
{
    /// <summary>The NetTrace stream. It ends once the source is stopped and its last events are written.</summary>
    Stream Stream { get; }

    /// <summary>Asks the source to end its stream (the events still buffered are written first).</summary>
    void Stop();
}
