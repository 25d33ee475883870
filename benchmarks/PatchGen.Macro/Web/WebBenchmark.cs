using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Macro.Web;

/// <summary>
/// The <c>web</c> command: benchmarks/PatchGen.Macro.WebApp built once with <c>dotnet build -c Release</c>,
/// copied byte for byte (the A/A control), and copied and made patchable with <c>patchgen instrument</c> (the
/// runtime DLLs beside it, registered in its deps.json, as the CLI does by default); a fourth server runs that
/// patchable build with a patch in its patch directory (<c>PATCHGEN_PATCH_DIR</c>, applied before <c>Main</c>),
/// made by <c>patchgen build</c> from v2 (the app with <c>fixes/bulk-tier.patch</c> applied, a change of the hot
/// pricing code that answers the load's requests as before). The four run as server processes; rounds of closed-loop HTTP load go to one server at a time, in a new random order each round, so
/// the servers never compete with each other, only with the load generator (this process), which shares the
/// same cores: server CPU per request, read from /proc, is the figure that does not depend on that sharing;
/// requests/s does.
/// </summary>
internal static class WebBenchmark
{
    private const string AppName = "PatchGen.Macro.WebApp";
    private static readonly string[] ServerNames = ["plain #1", "plain #2 (A/A)", "instrumented", "patched"];
    private const int Patched = 3;
    private const string Fix = "bulk-tier";

    /// <summary>An order only the fix prices differently (15 % from 100 units): the patched server must answer it with the fix.</summary>
    private static readonly WebRequest FixProbe = new(HttpMethod.Post, "/api/quotes", """{"lines":[{"sku":"BOO-0008","quantity":100}]}""");

    public static async Task<int> RunAsync(HarnessOptions options, string workDirectory, TextWriter output)
    {
        var (blocks, warmRounds, rounds, roundSeconds) = options.Quick ? (1, 1, 3, 1.0) : (3, 2, 6, 2.0);
        blocks = options.Launches ?? blocks;
        rounds = options.Rounds ?? rounds;
        int connections = options.Connections ?? 8;
        var random = new Random(options.Seed);
        var (dlls, patchFolder) = Build(Path.Combine(workDirectory, "web"), output);

        var measured = new List<WebRound[][]>();
        var failures = new List<string>();
        for (int block = 0; block < blocks; block++)
        {
            var rows = await RunBlockAsync(dlls, patchFolder, block, warmRounds, rounds, roundSeconds, connections, random, failures, output).ConfigureAwait(false);
            measured.Add(rows);
        }
        Report(output, options, measured, failures, connections, warmRounds, roundSeconds, random);
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// One block: the three servers started afresh (in random order), checked, warmed, then measured in rounds.
    /// Fresh processes per block, because one process's layout and early profile can favour it for its whole life.
    /// </summary>
    private static async Task<WebRound[][]> RunBlockAsync(IReadOnlyList<string> dlls, string patchFolder, int block, int warmRounds, int rounds, double roundSeconds,
        int connections, Random random, List<string> failures, TextWriter output)
    {
        var servers = new ServerProcess?[dlls.Count];
        var generators = new List<LoadGenerator>();
        try
        {
            var startOrder = Enumerable.Range(0, dlls.Count).ToArray();
            random.Shuffle(startOrder);
            foreach (int i in startOrder)
                servers[i] = ServerProcess.Start(ServerNames[i], dlls[i], i == Patched ? new Dictionary<string, string> { ["PATCHGEN_PATCH_DIR"] = patchFolder } : null);
            var running = servers.Select(s => s!).ToList();
            generators.AddRange(running.Select(s => new LoadGenerator(s.BaseAddress, WebRequest.Mix, connections)));

            var expected = await generators[0].FetchAllAsync().ConfigureAwait(false);
            for (int i = 1; i < running.Count; i++)
            {
                var answers = await generators[i].FetchAllAsync().ConfigureAwait(false);
                if (!answers.SequenceEqual(expected))
                    throw new InvalidOperationException($"{running[i].Name} answers differently from plain #1");
            }
            // The patch is in force in the patched server, and only there.
            var plainProbe = await Probe(running[0].BaseAddress).ConfigureAwait(false);
            var patchedProbe = await Probe(running[Patched].BaseAddress).ConfigureAwait(false);
            if (patchedProbe == plainProbe || !patchedProbe.Contains("15", StringComparison.Ordinal))
                throw new InvalidOperationException($"the patched server does not run the fix: it priced 100 units as {patchedProbe}");

            var order = Enumerable.Range(0, running.Count).ToArray();
            async Task<WebRound[]> Round()
            {
                var round = new WebRound[running.Count];
                random.Shuffle(order);
                foreach (int s in order)
                {
                    long serverBefore = running[s].CpuNanoseconds();
                    var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var (requests, wrong) = await generators[s].RunAsync(TimeSpan.FromSeconds(roundSeconds), expected).ConfigureAwait(false);
                    clock.Stop();
                    long serverCpu = running[s].CpuNanoseconds() - serverBefore;
                    long selfCpu = (long)(Process.GetCurrentProcess().TotalProcessorTime - selfBefore).TotalNanoseconds;
                    failures.AddRange(wrong.Select(w => $"{running[s].Name}: {w}"));
                    round[s] = new WebRound(requests, serverCpu, selfCpu, clock.Elapsed);
                }
                return round;
            }

            for (int w = 0; w < warmRounds; w++)
                await Round().ConfigureAwait(false);
            var rows = new List<WebRound[]>();
            for (int r = 0; r < rounds; r++)
                rows.Add(await Round().ConfigureAwait(false));
            if (running.FirstOrDefault(s => s.HasExited) is { } dead)
                throw new InvalidOperationException(dead.Name + " exited during the run");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  web: block {block + 1}: servers {string.Join(", ", running.Select(s => $"{s.Name} pid {s.Pid}"))}; load average {MachineDescription.LoadAverage()}"));
            return rows.ToArray();
        }
        finally
        {
            foreach (var generator in generators)
                generator.Dispose();
            foreach (var server in servers)
                server?.Dispose();
        }
    }

    private static async Task<string> Probe(Uri baseAddress)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.SendAsync(FixProbe.ToMessage(baseAddress)).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Plain build, its byte-for-byte copy, an instrumented copy, and that copy again for the patched server (the same
    /// bytes: the patch is bound to its MVID); returns the four app DLLs and the patch directory.
    /// </summary>
    private static (List<string> Dlls, string PatchFolder) Build(string directory, TextWriter output)
    {
        var project = Path.Combine(HarnessPaths.RepoRoot, "benchmarks", AppName, AppName + ".csproj");
        var plain = Path.Combine(directory, "plain-1");
        ProcessRunner.RunChecked("dotnet", ["build", project, "-c", "Release", "-o", plain, "--nologo", "-v", "q"]);
        var copy = CopyDirectory(plain, Path.Combine(directory, "plain-2"));
        var instrumented = CopyDirectory(plain, Path.Combine(directory, "instrumented"));
        var report = ProcessRunner.Patchgen("instrument", Path.Combine(instrumented, AppName + ".dll"));
        output.WriteLine($"  web: dotnet build -c Release; patchgen instrument: {report.Trim().Replace('\n', ' ')}");
        var patched = CopyDirectory(instrumented, Path.Combine(directory, "patched"));

        // v2: the files the fix touches, copied and patched (patch -p1, as the ShopService's fixes), compiled in place of
        // the originals, into a folder and an obj of its own so that the plain build's are left as they are.
        var fixFile = Path.Combine(Path.GetDirectoryName(project)!, "fixes", Fix + ".patch");
        var fixFolder = Path.Combine(directory, "fix-" + Fix);
        foreach (var touched in File.ReadLines(fixFile).Where(l => l.StartsWith("+++ b/", StringComparison.Ordinal)).Select(l => l["+++ b/".Length..].Trim()))
        {
            var patchedCopy = Path.Combine(fixFolder, touched);
            Directory.CreateDirectory(Path.GetDirectoryName(patchedCopy)!);
            File.Copy(Path.Combine(Path.GetDirectoryName(project)!, touched), patchedCopy, overwrite: true);
        }
        ProcessRunner.RunChecked("patch", ["-p1", "--forward", "--input", fixFile], fixFolder);
        var v2 = Path.Combine(directory, "v2");
        ProcessRunner.RunChecked("dotnet", ["build", project, "-c", "Release", "-o", v2, "--nologo", "-v", "q",
            "-p:PatchGenWebAppFixFolder=" + fixFolder, "-p:BaseIntermediateOutputPath=" + Path.Combine(directory, "obj-v2") + Path.DirectorySeparatorChar]);
        var patchFolder = Path.Combine(directory, "patches");
        Directory.CreateDirectory(patchFolder);
        var patch = ProcessRunner.Patchgen("build", "--base", Path.Combine(instrumented, AppName + ".dll"), "--new", Path.Combine(v2, AppName + ".dll"),
            "-o", Path.Combine(patchFolder, "10-" + Fix + ".dll"), "--id", "web-" + Fix);
        output.WriteLine($"  web: v2 with fixes/{Fix}.patch; patchgen build: {patch.Trim().Replace('\n', ' ')}");
        return (new[] { plain, copy, instrumented, patched }.Select(d => Path.Combine(d, AppName + ".dll")).ToList(), patchFolder);
    }

    private static string CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        return to;
    }

    private static void Report(TextWriter output, HarnessOptions options, List<WebRound[][]> blocks, List<string> failures, int connections,
        int warmRounds, double roundSeconds, Random random)
    {
        RatioEstimate Ratio(int server, Func<WebRound, double> metric)
            => RatioEstimate.FromGroups(blocks.Select(b => (IReadOnlyList<double>)b.Select(r => metric(r[server]) / metric(r[0])).ToList()).ToList(), random);
        double Median(int server, Func<WebRound, double> metric) => Statistics.Median(blocks.SelectMany(b => b).Select(r => metric(r[server])));
        var all = blocks.SelectMany(b => b).ToList();

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ASP.NET Core app under HTTP load: {blocks.Count} block(s) of fresh server processes × {all.Count / blocks.Count} rounds of {roundSeconds} s per server (after {warmRounds} warm-up rounds), servers in random order each round, {connections} connections. Ratio = median of per-round ratios to plain #1 [95% interval, bootstrap over blocks and rounds]."));
        output.WriteLine();
        output.WriteLine("| metric | plain #1 (median) | plain #2 / plain #1 (A/A) | instrumented / plain #1 | patched / plain #1 |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| server CPU per request | {Median(0, r => r.ServerCpuMicrosecondsPerRequest):0.0} µs | {Ratio(1, r => r.ServerCpuMicrosecondsPerRequest)} | {Ratio(2, r => r.ServerCpuMicrosecondsPerRequest)} | {Ratio(Patched, r => r.ServerCpuMicrosecondsPerRequest)} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| requests/s | {Median(0, r => r.RequestsPerSecond):0} | {Ratio(1, r => r.RequestsPerSecond)} | {Ratio(2, r => r.RequestsPerSecond)} | {Ratio(Patched, r => r.RequestsPerSecond)} |"));
        output.WriteLine();
        output.WriteLine("Per block (median of its rounds, server CPU per request):");
        output.WriteLine();
        output.WriteLine("| block | A/A | instrumented | patched |");
        output.WriteLine("|---:|---:|---:|---:|");
        for (int b = 0; b < blocks.Count; b++)
        {
            double M(int server) => Statistics.Median(blocks[b].Select(r => r[server].ServerCpuMicrosecondsPerRequest / r[0].ServerCpuMicrosecondsPerRequest));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {b + 1} | {M(1):0.000} | {M(2):0.000} | {M(Patched):0.000} |"));
        }
        output.WriteLine();
        long total = all.Sum(r => r.Sum(x => x.Requests));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total:N0} requests measured, {failures.Count} wrong or failed answers. The load generator (this process) used {Statistics.Median(all.SelectMany(r => r).Select(r => r.LoadGeneratorCpuMicrosecondsPerRequest)):0.0} µs CPU per request (median) on the same {Environment.ProcessorCount} cores: requests/s is bounded by both processes; server CPU per request is not."));
        foreach (var failure in failures.Take(5))
            output.WriteLine("  " + failure);
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine());
    }
}
