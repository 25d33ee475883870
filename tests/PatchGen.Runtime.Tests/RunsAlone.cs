namespace PatchGen.Runtime.Tests;

/// <summary>
/// The test classes that use the runtime's process-wide state: the process's engine
/// (<see cref="PatchRuntime"/>), its control channel, the trusted keys, shadow variables, or timing that
/// other classes' threads would disturb. xUnit runs this collection after the parallel classes, one test
/// at a time, with nothing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
