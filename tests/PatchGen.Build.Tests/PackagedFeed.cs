using System.Reflection;
using System.Security;
using PatchGen.TestSupport;

namespace PatchGen.Build.Tests;

/// <summary>
/// The PatchGen packages, packed by real <c>dotnet pack</c> from this repository's build into a local
/// folder feed, and everything a project needs to consume them as a user's would: a nuget.config with
/// that feed (and the machine's offline feed, nothing else) and a private NuGet package folder, so
/// that a PatchGen 0.1.0 cached by an earlier run can never be the one that is tested. One per test
/// class, each with its own package folder and config in its own temporary folder, deleted at the end.
/// The packing itself happens once per test run, whichever class asks first: the pack publishes the
/// tool into one fixed folder of the repository (src/PatchGen.Build/obj/.../patchgen-tool), so two
/// packs running side by side (test classes run in parallel) would delete each other's files.
/// </summary>
public sealed class PackagedFeed : IDisposable
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    public PackagedFeed()
    {
        Root = Path.Combine(Path.GetTempPath(), "patchgen-build-tests", Guid.NewGuid().ToString("N")[..12]);
        Packages = Path.Combine(Root, "nuget-packages");
        Directory.CreateDirectory(Packages);
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };
        try
        {
            Feed = SharedFeed.Value;
            // Projects below Root find this config first; <clear/> drops every user- and machine-level feed.
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="patchgen-local" value="{SecurityElement.Escape(Feed)}" />
                    <add key="machine-offline" value="/opt/nuget/packages" />
                  </packageSources>
                </configuration>
                """);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }

    /// <summary>The folder feed holding the four packages, shared by every fixture of this run.</summary>
    public string Feed { get; } = "";

    /// <summary>The private NuGet package folder (NUGET_PACKAGES) of every command run here.</summary>
    public string Packages { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public static string Configuration { get; } = typeof(PackagedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Configuration").Value!;

    /// <summary>The patchgen tool as the PatchGen.Build package installed it.</summary>
    public string InstalledTool => Path.Combine(Packages, "patchgen.build", "0.1.0", "tools", "net10.0", "patchgen.dll");

    internal DotnetResult Dotnet(string workingDirectory, params string[] arguments)
        => DotnetCommand.Run(workingDirectory, Environment, BuildTimeout, arguments);

    // Lazy's default mode runs the pack once and hands its exception to every later caller too, so
    // a broken pack fails every class with the same message instead of packing again.
    private static readonly Lazy<string> SharedFeed = new(PackOnce);

    private static string PackOnce()
    {
        var root = Path.Combine(Path.GetTempPath(), "patchgen-build-tests", "feed-" + Guid.NewGuid().ToString("N")[..12]);
        var feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(feed);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteFolder(root);
        Pack(root, feed);
        return feed;
    }

    /// <summary>
    /// Packs the four packages in one MSBuild run, without building: the projects were built with
    /// this test project (its project references), in its configuration.
    /// </summary>
    private static void Pack(string root, string feed)
    {
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(root, "nuget-packages") };
        // The repository's own pack definition (build/pack.proj), as a user packs a local feed.
        var packProject = Path.Combine(Repository.Root, "build", "pack.proj");
        var result = DotnetCommand.Run(root, environment, BuildTimeout, "msbuild", packProject, "-t:Pack", "-nologo", "-nodeReuse:false", "-m", "-v:m",
            "-p:Configuration=" + Configuration, "-p:NoBuild=true", "-p:FeedDirectory=" + feed + "/");
        Assert.True(result.ExitCode == 0, "packing failed:\n" + result);
        foreach (var id in new[] { "PatchGen.Diagnostics", "PatchGen.Runtime", "PatchGen.Analyzers", "PatchGen.Build" })
            Assert.True(File.Exists(Path.Combine(feed, id + ".0.1.0.nupkg")), $"{id}.0.1.0.nupkg was not packed:\n{result}");
    }

    public void Dispose() => DeleteFolder(Root);

    private static void DeleteFolder(string folder)
    {
        for (int attempt = 0; attempt < 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
