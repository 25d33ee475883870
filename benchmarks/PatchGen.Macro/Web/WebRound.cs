namespace PatchGen.Macro.Web;

/// <summary>One server's share of one round: answers, its CPU time, the load generator's CPU time, wall time.</summary>
internal sealed record WebRound(long Requests, long ServerCpuNs, long LoadGeneratorCpuNs, TimeSpan Wall)
{
    public double ServerCpuMicrosecondsPerRequest => ServerCpuNs / 1000.0 / Requests;

    public double RequestsPerSecond => Requests / Wall.TotalSeconds;

    public double LoadGeneratorCpuMicrosecondsPerRequest => LoadGeneratorCpuNs / 1000.0 / Requests;
}
