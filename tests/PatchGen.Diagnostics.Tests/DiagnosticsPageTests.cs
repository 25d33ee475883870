using System.Text.RegularExpressions;
using PatchGen.TestSupport;

namespace PatchGen.Diagnostics.Tests;

/// <summary>
/// docs/diagnostics.md is the catalogue's rendering, byte for byte: a change to an ID's title, message,
/// description or fix that is not also on the page fails here, with the command that brings it up to date.
/// </summary>
public class DiagnosticsPageTests
{
    private static string PagePath => Path.Combine(Repository.Root, DiagnosticsPage.RelativePath);

    [Fact]
    public void ThePageIsTheCatalogueRendered()
    {
        var generated = DiagnosticsPage.Render(DiagnosticCatalog.All);
        if (Environment.GetEnvironmentVariable("PATCHGEN_UPDATE_DOCS") == "1")
            File.WriteAllText(PagePath, generated);

        // Compared as lines: a checkout may have turned the page's line ends into CRLF.
        var committed = File.Exists(PagePath) ? File.ReadAllText(PagePath).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"{DiagnosticsPage.RelativePath} is not what DiagnosticCatalog generates. Regenerate it with\n"
            + $"    {DiagnosticsPage.RegenerateCommand}\n"
            + "and commit the result (edit the catalogue, never the page).\n"
            + FirstDifference(committed, generated));
    }

    [Fact]
    public void EveryIdHasOneSectionWithItsAnchor()
    {
        var page = DiagnosticsPage.Render(DiagnosticCatalog.All);
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            Assert.Single(Regex.Matches(page, "^### " + descriptor.Id + "$", RegexOptions.Multiline));
            Assert.Contains($"[{descriptor.Id}](#{descriptor.Id.ToLowerInvariant()})", page);
        }
    }

    [Fact]
    public void EveryIdTheDocsMentionIsInTheCatalogue()
    {
        var known = DiagnosticCatalog.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Append(Path.Combine(Repository.Root, "README.md"));
        foreach (var page in pages)
        {
            foreach (Match id in Regex.Matches(File.ReadAllText(page), @"\bPG\d{4}\b"))
                Assert.True(known.Contains(id.Value), $"{Path.GetFileName(page)} mentions {id.Value}, which the catalogue does not define");
        }
    }

    private static string FirstDifference(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of page>";
            var right = i < b.Length ? b[i] : "<end of page>";
            if (left != right)
                return $"First difference, line {i + 1}:\n  page:      {left}\n  catalogue: {right}";
        }
        return "";
    }
}
