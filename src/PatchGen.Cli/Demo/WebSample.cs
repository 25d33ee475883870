using PatchGen.Diagnostics;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;

namespace PatchGen.Cli.Demo;

/// <summary>
/// The ASP.NET Core sample, <c>testdata/apps/WebShop</c>, as <c>patchgen demo --app web</c> and its tests
/// use it: v1 built once with <c>dotnet build</c> (the web project and the two class libraries it
/// references) and made patchable (every assembly of the sample's own projects instrumented in place, as
/// production would deploy it), then each fix of <c>fixes/</c> built from its diff into one patch of every
/// assembly it changes, as <c>patchgen build --project</c> builds it.
/// </summary>
internal sealed class WebSample : IDisposable
{
    public const string RelativeRoot = "testdata/apps/WebShop";

    private const string WebProject = "WebShop.Web/WebShop.Web.csproj";

    /// <summary>
    /// What the HTTP load asks (<see cref="HttpConnection"/>'s form): an answer each fix changes (the route
    /// handler lambda's paging, the catalogue's search, the controller's quote through the domain's shipping,
    /// the background service's reorder board, the coupon lookup's two halves), and answers none changes.
    /// </summary>
    public static readonly IReadOnlyList<string> Requests = new[]
    {
        "GET /api/products?page=1&pageSize=3",
        "GET /api/products/search?q=mug",
        "POST /api/quotes {\"lines\":[{\"sku\":\"MUG-001\",\"quantity\":4}]}",
        "GET /api/stock/reorders",
        "GET /api/coupons/save10",
        "GET /api/coupons/%20SAVE10",
        "GET /api/products/KNF-001",
        "POST /api/quotes {\"lines\":[{\"sku\":\"BOOK-002\",\"quantity\":1}],\"coupon\":\"SAVE10\"}",
    };

    private readonly ProjectPatchBuilder _builder;
    private (ProjectBuild, IReadOnlyList<(string, InstrumentResult)>)? _base;

    /// <param name="root">The sample's folder (<see cref="Find"/>).</param>
    public WebSample(string root, bool keep = false)
    {
        Root = Path.GetFullPath(root);
        _builder = new ProjectPatchBuilder(Path.Combine(Root, WebProject), new ProjectPatchBuilderOptions { SourceRoot = Root, KeepWorkDirectory = keep });
    }

    public string Root { get; }

    public string WorkDirectory => _builder.WorkDirectory;

    /// <summary>The fixes of the sample, by name, in ordinal order.</summary>
    public IReadOnlyList<string> FixNames => Directory.EnumerateFiles(Path.Combine(Root, "fixes"), "*.patch")
        .Select(f => Path.GetFileNameWithoutExtension(f)!)
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToList();

    public string FixPath(string name) => Path.Combine(Root, "fixes", name + ".patch");

    /// <summary>The sample's folder, found by walking up from the current folder and from the tool's own folder.</summary>
    public static string? Find() => SampleLocator.Find(RelativeRoot);

    /// <summary>v1, built (once) and made patchable in place: its web assembly, and what instrumenting each of the sample's assemblies gave.</summary>
    public (ProjectBuild Build, IReadOnlyList<(string Assembly, InstrumentResult Sites)> Instrumented) BuildBase()
    {
        lock (_builder)
        {
            if (_base is { } built)
                return built;
            var build = _builder.BuildBase();
            var folder = Path.GetDirectoryName(build.AssemblyPath)!;
            var instrumented = OwnAssemblies()
                .Select(name => (name, AssemblyInstrumenter.Instrument(Path.Combine(folder, name), Path.Combine(folder, name))))
                .ToList();
            _base = (build, instrumented);
            return _base.Value;
        }
    }

    /// <summary>
    /// Builds <paramref name="name"/>: the fixed app (one more build of the web project, which builds the
    /// libraries it references too) and one patch of every assembly the fix changes, bound to v1's patchable
    /// builds of them (a fix of the web project and a library is one patch, switched in one transition); or
    /// the refusal of <c>patchgen build --project &lt;web&gt;</c>, before any build, when the fix changes a
    /// project the web project does not build (PG0010).
    /// </summary>
    public WebFix BuildFix(string name)
    {
        var fixPath = FixPath(name);
        var diff = UnifiedDiff.Load(fixPath);
        var projects = _builder.ProjectsChangedBy(diff);
        var relative = projects.Select(p => Path.GetRelativePath(Root, p)).ToList();
        try
        {
            _builder.CheckFixIsCovered(diff, fixPath);
        }
        catch (PatchGenException refused)
        {
            return new WebFix(name, relative, null, refused.Diagnostic, null);
        }

        var baseFolder = Path.GetDirectoryName(BuildBase().Build.AssemblyPath)!;
        var fixedBuild = _builder.BuildPatched(diff);
        var fixedFolder = Path.GetDirectoryName(fixedBuild.AssemblyPath)!;
        var assemblies = (projects.Count > 0 ? projects : [_builder.ProjectPath]).Select(AssemblyFileOf);
        var builds = assemblies.Select(a => new AssemblyPair(Path.Combine(baseFolder, a), Path.Combine(fixedFolder, a))).ToArray();
        var fix = new WebFix(name, relative, null, null, fixedBuild.AssemblyPath, builds);
        var patchPath = Path.Combine(WorkDirectory, "patches", fix.PatchId + ".dll");
        return fix with { Patch = PatchBuilder.Build(fix.BuildOptions(patchPath, fix.PatchId)) };
    }

    /// <summary>What a running build answers to each of <see cref="Requests"/>, in order.</summary>
    public static List<string> AnswersOf(ServiceProcess app)
        => HttpConnection.AskAllAsync(app.BaseAddress, Requests).GetAwaiter().GetResult();

    /// <summary>
    /// Each request with v1's answer (<paramref name="v1Answers"/>, from the running v1) and the fix's: what
    /// the plain fixed app, started on its own for a moment, answers.
    /// </summary>
    public static IReadOnlyList<(string Request, string V1, string V2)> Expected(IReadOnlyList<string> v1Answers, WebFix fix)
    {
        using var app = ServiceProcess.Start(fix.FixedApp!, controlDirectory: null, patchable: false, arguments: ServiceProcess.WebArguments);
        var fixedAnswers = AnswersOf(app);
        return Requests.Select((r, i) => (r, v1Answers[i], fixedAnswers[i])).ToList();
    }

    /// <summary>The assemblies of the sample's own projects (the rest of the output is the framework's).</summary>
    private IEnumerable<string> OwnAssemblies()
        => Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories).Select(AssemblyFileOf).OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>The sample's projects keep the SDK's default assembly name: the project file's name.</summary>
    private static string AssemblyFileOf(string project) => Path.GetFileNameWithoutExtension(project) + ".dll";

    public void Dispose() => _builder.Dispose();
}
