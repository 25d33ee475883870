using System.Text.RegularExpressions;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The engine on assemblies no one here wrote: two releases each of Newtonsoft.Json (13.0.1 and
/// 13.0.3, lib/netstandard2.0, no PDB) and Microsoft.CodeAnalysis.CSharp (4.14.0 and 5.0.0,
/// lib/net8.0, ~6.7 MB, portable PDB beside it). The packages are downloaded by the
/// <c>PackageDownload</c> items of this project. What is checked is what must hold whatever the
/// libraries' authors changed: the diff completes, names no compiler-generated member, is
/// deterministic, and agrees with a second reading of the same metadata that shares no code with
/// the engine (<see cref="IndependentMetadata"/>); plus a few changes known from the libraries'
/// histories, spot-checked.
/// </summary>
public sealed class RealLibraryTests : IClassFixture<RealLibraryTests.Pairs>
{
    public const string Newtonsoft = "Newtonsoft.Json";
    public const string Roslyn = "Microsoft.CodeAnalysis.CSharp";

    private readonly Pairs _pairs;

    public RealLibraryTests(Pairs pairs)
    {
        _pairs = pairs;
    }

    public static TheoryData<string> Libraries() => new() { Newtonsoft, Roslyn };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ReportNamesNoCompilerGeneratedMember(string library)
    {
        var result = _pairs[library].Result;
        Assert.NotEmpty(result.Changes);
        foreach (var member in result.Changes.Select(c => c.Member).Concat(result.Diagnostics.Select(d => d.Member ?? "")))
            Assert.DoesNotContain('<', member);
        foreach (var diagnostic in result.Diagnostics)
        {
            // Generic types legitimately read List<T>; a generated name starts with '<' (<M>b__0_1,
            // <>c, <PrivateImplementationDetails>), and PG0003 quotes an MSBuild property.
            var message = diagnostic.Message.Replace("<PatchGenPatchable>true</PatchGenPatchable>", "", StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(?<![\w>])<|<>|>[a-z]__|DisplayClass|k__BackingField", message);
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ReportIsDeterministic(string library)
    {
        var pair = _pairs[library];
        var again = DiffReport.ToJson(AssemblyDiffer.Compare(pair.BasePath, pair.NewPath));
        Assert.Equal(pair.Json, again);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void AddedAndRemovedMembersAreConfirmedByMetadata(string library)
    {
        var pair = _pairs[library];
        var added = pair.Result.Changes.Where(c => c.Kind == ChangeKind.Added).Select(c => c.Member).ToList();
        var removed = pair.Result.Changes.Where(c => c.Kind == ChangeKind.Removed).Select(c => c.Member).ToList();
        Assert.NotEmpty(added);
        Assert.NotEmpty(removed);
        AssertNone("reported added, but not only in the new build", added.Where(id => !pair.NewMetadata.Members.Contains(id) || pair.BaseMetadata.Members.Contains(id)));
        AssertNone("reported removed, but not only in the base build", removed.Where(id => !pair.BaseMetadata.Members.Contains(id) || pair.NewMetadata.Members.Contains(id)));
    }

    /// <summary>
    /// A method whose own IL is the same in both builds (token for token, by what the tokens name) and
    /// that owns no generated code has the same code: it must not be reported as bodyChanged.
    /// </summary>
    [Theory]
    [MemberData(nameof(Libraries))]
    public void MethodsWithTheSameIlAreNotBodyChanged(string library)
    {
        var pair = _pairs[library];
        var bodyChanged = pair.Result.Changes.Where(c => c.Kind == ChangeKind.BodyChanged).Select(c => c.Member).ToHashSet(StringComparer.Ordinal);
        var same = pair.ComparableMethods().Where(m => m.Base.Body == m.New.Body).Select(m => m.Id).ToList();
        var sameBytes = pair.ComparableMethods().Count(m => m.Base.RawIl.AsSpan().SequenceEqual(m.New.RawIl));

        // Thousands of methods did not change between these releases; some even kept their exact IL bytes.
        Assert.True(same.Count > 2000, $"only {same.Count} unchanged methods found");
        Assert.True(sameBytes > 300, $"only {sameBytes} methods with identical IL bytes");
        AssertNone("bodyChanged although their IL is the same", same.Where(bodyChanged.Contains));
    }

    /// <summary>
    /// The converse: a method whose own IL differs is reported, unless its type changed kind (a class
    /// that became a struct is reported once, as a type shape change, and its members not compared),
    /// or it is an accessor of a property or event whose signature changed (reported once, as PG1001
    /// under the P: or E: ID, and its accessors not compared).
    /// </summary>
    [Theory]
    [MemberData(nameof(Libraries))]
    public void MethodsWhoseIlDiffersAreReported(string library)
    {
        var pair = _pairs[library];
        var reported = pair.Result.Changes.Select(c => c.Member).ToHashSet(StringComparer.Ordinal);
        var kindChanged = pair.Result.Diagnostics
            .Where(d => d.Id == "PG1004" && Regex.IsMatch(d.Message, ": changed from (class|struct|interface|enum|delegate) to "))
            .Select(d => "M:" + d.Member![2..] + ".")
            .ToList();
        var signatureChanged = pair.Result.Diagnostics.Where(d => d.Id == "PG1001" && d.Member != null).Select(d => d.Member!).ToHashSet(StringComparer.Ordinal);
        bool OwnerSignatureChanged(string id)
            => (pair.BaseMetadata.AccessorOwners.TryGetValue(id, out var before) && signatureChanged.Contains(before) && reported.Contains(before))
                || (pair.NewMetadata.AccessorOwners.TryGetValue(id, out var after) && signatureChanged.Contains(after) && reported.Contains(after));
        var differing = pair.ComparableMethods().Where(m => m.Base.Body != m.New.Body).Select(m => m.Id).ToList();

        Assert.NotEmpty(differing);
        AssertNone("not reported although their IL differs", differing.Where(id => !reported.Contains(id)
            && !kindChanged.Any(prefix => id.StartsWith(prefix, StringComparison.Ordinal))
            && !OwnerSignatureChanged(id)));
    }

    [Fact]
    public void NewtonsoftReportShowsTheKnownChanges()
    {
        var pair = _pairs[Newtonsoft];
        var result = pair.Result;
        var changes = result.Changes.Select(c => c.KindName + " " + c.Member).ToHashSet(StringComparer.Ordinal);

        // 13.0.2 added JsonCloneSettings and UnixDateTimeConverter.AllowPreEpoch, and fixed the name of AsyncUtils.IsCompletedSucessfully.
        Assert.Contains("added T:Newtonsoft.Json.Linq.JsonCloneSettings", changes);
        Assert.Contains("added P:Newtonsoft.Json.Converters.UnixDateTimeConverter.AllowPreEpoch", changes);
        Assert.Contains("removed M:Newtonsoft.Json.Utilities.AsyncUtils.IsCompletedSucessfully(System.Threading.Tasks.Task)", changes);
        Assert.Contains("added M:Newtonsoft.Json.Utilities.AsyncUtils.IsCompletedSuccessfully(System.Threading.Tasks.Task)", changes);
        Assert.Contains("bodyChanged M:Newtonsoft.Json.Linq.JToken.DeepClone", changes);
        // The new auto-property needs a field in an existing type: not patchable.
        Assert.Contains(result.Diagnostics, d => d.Id == "PG2001" && d.Member == "P:Newtonsoft.Json.Converters.UnixDateTimeConverter.AllowPreEpoch");
        Assert.False(result.IsPatchable);
        Assert.Equal(1, result.ExitCode);

        // No PDB ships in the package, and nobody instrumented it.
        Assert.Equal(2, result.Diagnostics.Count(d => d.Id == "PG0004"));
        Assert.Contains(result.Diagnostics, d => d.Id == "PG0003" && d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Warning);
        Assert.All(result.Diagnostics, d => Assert.Null(d.Line));

        // A method known to be untouched: same IL by the independent reading, and not reported at all.
        const string untouched = "M:Newtonsoft.Json.JsonConvert.ToString(System.Boolean)";
        Assert.Equal(pair.BaseMetadata.Methods[untouched].Body, pair.NewMetadata.Methods[untouched].Body);
        Assert.DoesNotContain(result.Changes, c => c.Member == untouched);
    }

    [Fact]
    public void RoslynReportShowsTheKnownChanges()
    {
        var result = _pairs[Roslyn].Result;
        var diagnostics = result.Diagnostics;

        // The lexer's SlidingTextWindow became a struct in 5.0.
        Assert.Contains(diagnostics, d => d.Id == "PG1004" && d.Member == "T:Microsoft.CodeAnalysis.CSharp.Syntax.InternalSyntax.SlidingTextWindow"
            && d.Message.EndsWith("changed from class to struct", StringComparison.Ordinal));
        // The compiler's messages changed.
        Assert.Contains(diagnostics, d => d.Id == "PG2007" && d.Message.Contains("CSharpResources.resources", StringComparison.Ordinal));
        // OneOrMany moved from Roslyn.Utilities to Microsoft.CodeAnalysis.Collections: the field's type
        // changed although its C# name did not, and the message must say how.
        var moved = Assert.Single(diagnostics, d => d.Id == "PG2003" && d.Member == "F:Microsoft.CodeAnalysis.CSharp.CSharpCompilation._pathToSyntaxTree");
        Assert.Contains("Roslyn.Utilities.OneOrMany", moved.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.CodeAnalysis.Collections.OneOrMany", moved.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnostics, d => Regex.IsMatch(d.Message, @"changed type from (?<t>.+) to \k<t>$"));
        // A property of that type: one signature change under P: (not its getter), which must say how too.
        var property = Assert.Single(diagnostics, d => d.Id == "PG1001" && d.Member == "P:Microsoft.CodeAnalysis.CSharp.MergedTypeDeclaration.NameLocations");
        Assert.Contains("Roslyn.Utilities.OneOrMany", property.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.CodeAnalysis.Collections.OneOrMany", property.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnostics, d => d.Member == "M:Microsoft.CodeAnalysis.CSharp.MergedTypeDeclaration.get_NameLocations");
        Assert.False(result.IsPatchable);

        // The package ships a portable PDB beside the assembly: diagnostics are located in Roslyn's sources.
        Assert.DoesNotContain(diagnostics, d => d.Id == "PG0004");
        Assert.Contains(diagnostics, d => d.File is { } file && file.StartsWith("/_/src/Compilers/CSharp/", StringComparison.Ordinal) && d.Line > 0);
        Assert.Contains(diagnostics, d => d.Id == "PG0003");
    }

    private static void AssertNone(string what, IEnumerable<string> members)
    {
        var found = members.ToList();
        Assert.True(found.Count == 0, found.Count + " members " + what + ":\n  " + string.Join("\n  ", found.Take(20)));
    }

    /// <summary>Both pairs, each diffed once (lazily) and shared by the tests.</summary>
    public sealed class Pairs
    {
        private readonly Dictionary<string, RealPair> _pairs = new(StringComparer.Ordinal)
        {
            [Newtonsoft] = new RealPair(Package("newtonsoft.json", "13.0.1", "netstandard2.0", Newtonsoft), Package("newtonsoft.json", "13.0.3", "netstandard2.0", Newtonsoft)),
            [Roslyn] = new RealPair(Package("microsoft.codeanalysis.csharp", "4.14.0", "net8.0", Roslyn), Package("microsoft.codeanalysis.csharp", "5.0.0", "net8.0", Roslyn)),
        };

        public RealPair this[string library] => _pairs[library];

        private static string Package(string id, string version, string framework, string assembly)
        {
            var path = Path.Combine(Repository.NuGetPackageRoot, id, version, "lib", framework, assembly + ".dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("restore the test project: its PackageDownload items fetch " + id + " " + version, path);
        }
    }

    public sealed class RealPair
    {
        private readonly Lazy<DiffResult> _result;
        private readonly Lazy<string> _json;
        private readonly Lazy<IndependentMetadata> _base;
        private readonly Lazy<IndependentMetadata> _new;

        public RealPair(string basePath, string newPath)
        {
            BasePath = basePath;
            NewPath = newPath;
            _result = new(() => AssemblyDiffer.Compare(basePath, newPath));
            _json = new(() => DiffReport.ToJson(Result));
            _base = new(() => IndependentMetadata.Read(basePath));
            _new = new(() => IndependentMetadata.Read(newPath));
        }

        public string BasePath { get; }

        public string NewPath { get; }

        public DiffResult Result => _result.Value;

        public string Json => _json.Value;

        public IndependentMetadata BaseMetadata => _base.Value;

        public IndependentMetadata NewMetadata => _new.Value;

        /// <summary>
        /// Methods present in both builds, with IL in both, that refer to nothing compiler-generated
        /// (for those, their lambdas and state machines are part of their code, which their own IL
        /// does not show).
        /// </summary>
        public IEnumerable<(string Id, IndependentMetadata.MethodFacts Base, IndependentMetadata.MethodFacts New)> ComparableMethods()
        {
            foreach (var (id, method) in NewMetadata.Methods)
            {
                if (BaseMetadata.Methods.TryGetValue(id, out var old)
                    && old.Body != null && method.Body != null
                    && !old.ReferencesGenerated && !method.ReferencesGenerated)
                    yield return (id, old, method);
            }
        }
    }
}
