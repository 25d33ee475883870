using PatchGen.Diagnostics;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// <see cref="AssemblyDiffer.Compare(string, string, SourcePathOptions, PatchModel)"/> reads both builds
/// at once and parses their PDBs' sources on threads of their own (<see cref="AssemblyInput.LoadBoth"/>,
/// <see cref="SourcesParsedAhead"/>): the report must be the one of reading and parsing everything in turn on one
/// thread, whichever thread gets there first: the parsing finished before the comparison starts, or held back until the
/// comparison waits for it; and repeated runs agree. Bad input fails as it did when the base was read first. Where no
/// core is free, the CLI's diff reads in turn (<see cref="SpareCore"/>): that is the report all of them are held to.
/// </summary>
public sealed class ConcurrentReadingTests
{
    public static TheoryData<string> Cases() => DiffCaseTests.Cases();

    private static IEnumerable<string> CaseNames()
        => Directory.GetDirectories(Repository.CasesDirectory).Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>Every case: in turn, parsed ahead and done first, parsed ahead and held back until the comparison waits.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ParsingAheadInAnyOrderGivesTheReportOfParsingInTurn(string name)
    {
        var v1 = CaseCompiler.Compile(name, "v1");
        var v2 = CaseCompiler.Compile(name, "v2");
        var model = CaseModel.Of(name);
        var paths = new SourcePathOptions();

        var inTurn = InTurn(v1.AssemblyPath, v2.AssemblyPath, paths, model);
        var (doneFirst, foundFirst) = ParsedAhead(v1.AssemblyPath, v2.AssemblyPath, paths, model, heldBack: false);
        var (heldBack, foundHeld) = ParsedAhead(v1.AssemblyPath, v2.AssemblyPath, paths, model, heldBack: true);

        Assert.Equal(inTurn, doneFirst);
        Assert.Equal(inTurn, heldBack);
        Assert.Equal(inTurn, BothAtOnce(v1.AssemblyPath, v2.AssemblyPath, paths, model));
        // What the CLI runs: at once or in turn, as SpareCore finds the machine.
        Assert.Equal(inTurn, DiffReport.ToJson(AssemblyDiffer.Compare(v1.AssemblyPath, v2.AssemblyPath, paths, model)));
        // Whenever a declaration was looked up, the locators took the files parsed ahead (none parsed them again).
        Assert.Equal(foundFirst, foundHeld);
    }

    /// <summary>Somewhere among the cases, declarations are looked up, and then in files parsed ahead: the test above tests something.</summary>
    [Fact]
    public void LocatorsTakeTheFilesParsedAhead()
    {
        int found = 0;
        foreach (var name in CaseNames().Take(40))
        {
            var v1 = CaseCompiler.Compile(name, "v1");
            var v2 = CaseCompiler.Compile(name, "v2");
            found += ParsedAhead(v1.AssemblyPath, v2.AssemblyPath, new SourcePathOptions(), CaseModel.Of(name), heldBack: false).FilesFound;
        }
        Assert.True(found > 0);
    }

    /// <summary>Roslyn's sources are embedded in its PDBs, three of them ~2 MB of generated code.</summary>
    [Fact]
    public void RoslynReportIsTheOneOfReadingInTurn()
    {
        var pair = new RealLibraryTests.Pairs()[RealLibraryTests.Roslyn];
        var paths = new SourcePathOptions();
        var inTurn = InTurn(pair.BasePath, pair.NewPath, paths, PatchModel.Simple);
        var (heldBack, found) = ParsedAhead(pair.BasePath, pair.NewPath, paths, PatchModel.Simple, heldBack: true);
        Assert.Equal(inTurn, heldBack);
        Assert.True(found >= 2, "files parsed ahead and used: " + found);
        Assert.Equal(inTurn, BothAtOnce(pair.BasePath, pair.NewPath, paths, PatchModel.Simple));
    }

    /// <summary>Read at once, in turn, or as the CLI does (whichever SpareCore picks), a diff fails on the same input.</summary>
    [Fact]
    public void BaseFailureIsReportedWhenBothFail()
    {
        var (valid, corruptBase, corruptNew) = Inputs();
        var missing = Path.Combine(Path.GetDirectoryName(corruptNew)!, "missing.dll");
        var loaders = new Func<string, string, (AssemblyInput, AssemblyInput)>[]
        {
            (b, n) => AssemblyInput.LoadBoth(b, n, new SourcePathOptions()),
            AssemblyInput.LoadInTurn,
            (b, n) => { AssemblyDiffer.Compare(b, n); return default; },
        };
        foreach (var load in loaders)
        {
            AssertUnreadable(corruptBase, () => load(corruptBase, corruptNew));
            AssertUnreadable(corruptBase, () => load(corruptBase, valid));
            AssertUnreadable(corruptNew, () => load(valid, corruptNew));
            AssertUnreadable(missing, () => load(missing, corruptNew));
            AssertUnreadable(missing, () => load(valid, missing));
        }
    }

    private static (string Valid, string CorruptBase, string CorruptNew) Inputs()
    {
        var valid = CaseCompiler.Compile(CaseNames().First(), "v1").AssemblyPath;
        var dir = Path.Combine(Path.GetTempPath(), "patchgen-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "concurrent-reading");
        Directory.CreateDirectory(Path.Combine(dir, "base"));
        Directory.CreateDirectory(Path.Combine(dir, "new"));
        var corruptBase = Path.Combine(dir, "base", "CaseAssembly.dll");
        var corruptNew = Path.Combine(dir, "new", "CaseAssembly.dll");
        File.WriteAllBytes(corruptBase, File.ReadAllBytes(valid)[..300]);
        File.WriteAllBytes(corruptNew, File.ReadAllBytes(valid)[..400]);
        return (valid, corruptBase, corruptNew);
    }

    private static void AssertUnreadable(string path, Action compare)
    {
        var error = Assert.Throws<PatchGenException>(compare);
        Assert.Equal(DiagnosticCatalog.InputUnreadable.Id, error.Diagnostic.Id);
        Assert.Contains(path, error.Diagnostic.Message, StringComparison.Ordinal);
    }

    /// <summary>The report of reading both builds at once, sources parsed ahead, the same-code check racing the rules.</summary>
    private static string BothAtOnce(string basePath, string newPath, SourcePathOptions paths, PatchModel model)
    {
        var (@base, @new) = AssemblyInput.LoadBoth(basePath, newPath, paths);
        using (@base)
        using (@new)
            return DiffReport.ToJson(AssemblyDiffer.Compare(@base, @new, paths, model, Closures.SameCodeOrder.Concurrent).Result);
    }

    /// <summary>The report of reading the builds one after the other and parsing every source on the comparing thread.</summary>
    private static string InTurn(string basePath, string newPath, SourcePathOptions paths, PatchModel model)
    {
        using var @base = AssemblyInput.Load(basePath);
        using var @new = AssemblyInput.Load(newPath);
        Assert.Null(@base.SourcesParsedAhead);
        return DiffReport.ToJson(AssemblyDiffer.Compare(@base, @new, paths, model).Result);
    }

    /// <summary>
    /// The report with both builds' sources parsed ahead: finished before the comparison starts, or held back until
    /// a while after it started (the comparison of a case looks its first declaration up within milliseconds, and
    /// waits for the parsing thread then); and how many files the locators took from the parsing threads.
    /// </summary>
    private static (string Json, int FilesFound) ParsedAhead(string basePath, string newPath, SourcePathOptions paths, PatchModel model, bool heldBack)
    {
        var gate = new TaskCompletionSource();
        using var @base = AssemblyInput.Load(basePath, paths, gate.Task);
        using var @new = AssemblyInput.Load(newPath, paths, gate.Task);
        if (heldBack)
        {
            _ = Task.Delay(50).ContinueWith(_ => gate.SetResult(), TaskScheduler.Default);
        }
        else
        {
            gate.SetResult();
            @base.SourcesParsedAhead?.Wait();
            @new.SourcesParsedAhead?.Wait();
        }
        var json = DiffReport.ToJson(AssemblyDiffer.Compare(@base, @new, paths, model).Result);
        return (json, (@base.SourcesParsedAhead?.FilesFound ?? 0) + (@new.SourcesParsedAhead?.FilesFound ?? 0));
    }
}
