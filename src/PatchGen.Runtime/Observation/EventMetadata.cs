namespace PatchGen.Runtime.Observation;

/// <summary>
/// What a NetTrace metadata record says about one kind of event. The runtime's own (native) events
/// carry an empty name and no field descriptions in EventPipe, so they are recognised by provider and
/// ID and decoded by hand (<see cref="RuntimeEventDecoder"/>).
/// </summary>
internal sealed record EventMetadata(int MetadataId, string ProviderName, int EventId, string EventName, ulong Keywords, int Version, int Level);
