namespace PatchGen.Cli.Demo;

/// <summary>One client's connection to the service under load: one request in, its answer out, in order.</summary>
internal interface ILoadConnection : IDisposable
{
    /// <summary>The answer to <paramref name="request"/>, as the expected answers are written; null when the service closed the connection.</summary>
    Task<string?> AskAsync(string request, CancellationToken cancellation);
}
