namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// A marker method <see cref="PatchGen.Runtime.Observation.RuntimeEventSession.Synchronize"/> asked to compile: its
/// name, and the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the request (later than the start of the call
/// that asked), the time its MethodLoadVerbose carries.
/// </summary>
internal sealed record MarkerRequest(string Name, long CompiledAt);
