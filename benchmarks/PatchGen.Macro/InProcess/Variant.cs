namespace PatchGen.Macro.InProcess;

/// <summary>
/// One build of the code under test, loaded in this process. <see cref="RunOnce"/> is one operation of the
/// workload (its result is returned so the JIT cannot drop the work); <see cref="Output"/> renders what the
/// operation produces, which must be <see cref="ExpectedOutput"/> before and after measuring.
/// </summary>
internal sealed record Variant(string Name, Func<long> RunOnce, Func<string> Output, string ExpectedOutput);
