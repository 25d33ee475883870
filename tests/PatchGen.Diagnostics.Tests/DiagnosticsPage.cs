using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PatchGen.Diagnostics.Tests;

/// <summary>
/// Writes docs/diagnostics.md from <see cref="DiagnosticCatalog"/>: one section per ID with a stable
/// anchor (<c>#pg2001</c>), as Roslyn analyzers document theirs. The catalogue is the one definition; the
/// page is only ever its rendering, so that the two cannot say different things.
/// </summary>
internal static partial class DiagnosticsPage
{
    /// <summary>The page, relative to the repository root.</summary>
    public const string RelativePath = "docs/diagnostics.md";

    /// <summary>What regenerates the page, as the drift test prints it.</summary>
    public const string RegenerateCommand = "PATCHGEN_UPDATE_DOCS=1 dotnet test tests/PatchGen.Diagnostics.Tests -c Release";

    /// <summary>The headings of the ID ranges, as the catalogue groups them, by the ID's first digit.</summary>
    private static readonly string[] Ranges =
    {
        "PG0xxx: input, tool and apply errors",
        "PG1xxx: prototype changes (rejected under the simple model)",
        "PG2xxx: data changes (rejected under the simple model)",
        "PG3xxx: patchable, with a caveat the author must know",
        "PG4xxx: runtime (apply, transition, removal)",
    };

    public static string Render(IReadOnlyList<DiagnosticDescriptor> catalogue)
    {
        var page = new StringBuilder();
        page.Append(Header).Append("\n\n## Index\n\n");
        page.Append("| ID | severity | title |\n|---|---|---|\n");
        foreach (var descriptor in catalogue)
            page.Append(CultureInfo.InvariantCulture, $"| [{descriptor.Id}](#{Anchor(descriptor)}) | {SeverityName(descriptor.Severity)} | {Cell(descriptor.Title)} |\n");
        foreach (var range in catalogue.GroupBy(d => d.Id[2] - '0'))
        {
            page.Append('\n').Append("## ").Append(Ranges[range.Key]).Append('\n');
            foreach (var descriptor in range)
                AppendSection(page, descriptor);
        }
        return page.ToString();
    }

    private static void AppendSection(StringBuilder page, DiagnosticDescriptor descriptor)
    {
        // The heading is the bare ID, so that every Markdown renderer gives it the anchor #pgNNNN.
        page.Append('\n').Append("### ").Append(descriptor.Id).Append("\n\n");
        page.Append("| | |\n|---|---|\n");
        page.Append(CultureInfo.InvariantCulture, $"| severity | {SeverityName(descriptor.Severity)} |\n");
        page.Append(CultureInfo.InvariantCulture, $"| title | {Cell(descriptor.Title)} |\n");
        page.Append(CultureInfo.InvariantCulture, $"| message | `{Cell(descriptor.MessageFormat)}` |\n\n");
        page.Append("**When.** ").Append(Prose(descriptor.Description)).Append("\n\n");
        page.Append("**How to fix.** ").Append(Prose(descriptor.HowToFix)).Append('\n');
    }

    private static string Anchor(DiagnosticDescriptor descriptor) => descriptor.DocumentationPath[(descriptor.DocumentationPath.IndexOf('#') + 1)..];

    private static string SeverityName(DiagnosticSeverity severity) => severity.ToString().ToLowerInvariant();

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The catalogue's text, with its mentions of other pages (<c>docs/patch-format.md</c>) made links.</summary>
    private static string Prose(string text) => OtherPage().Replace(text, "[$1]($1)");

    [GeneratedRegex(@"docs/([a-z-]+\.md)")]
    private static partial Regex OtherPage();

    private const string Header = """
        # Diagnostics

        <!-- Generated from src/PatchGen.Diagnostics/DiagnosticCatalog.cs: edit the catalogue, never this page,
             then run PATCHGEN_UPDATE_DOCS=1 dotnet test tests/PatchGen.Diagnostics.Tests -c Release -->

        Every PatchGen diagnostic has one ID, defined once in code (`src/PatchGen.Diagnostics/DiagnosticCatalog.cs`)
        and used by every front end: the `patchgen` command line ([cli.md](cli.md)), the MSBuild task
        ([msbuild.md](msbuild.md)), the Roslyn analyzer ([analyzer.md](analyzer.md)) and the runtime
        ([consistency-model.md](consistency-model.md)). An ID never changes meaning and is never reused; a new
        ID goes at the end of its range. This page is generated from that catalogue, and a test fails when the
        two differ.

        A diagnostic is printed in MSBuild's canonical form, so that IDEs and CI logs link it to its source:
        `src/Cart.cs(41): error PG2001: Cart._discount adds a field to existing type Cart: ...`, or, about no
        source line, `patchgen: error PG0001: v1/Shop.dll: file not found`. Messages name members in C# terms
        (`Cart.Total(int)`), never by compiler-generated names (`<Total>b__3_0`); in JSON output, patch metadata
        and logs a member is its documentation comment ID (`M:Shop.Cart.Total(System.Int32)`,
        `F:Shop.Cart._items`, `T:Shop.Cart`). Changes to compiler-generated code (lambdas, local functions,
        closures, async and iterator state machines) are reported under the member the author wrote.

        Severity: any **error** makes a change unpatchable under the simple model, or refuses an operation; a
        **warning** or **info** is a caveat the author must know, and the change stays patchable. The severity
        listed is the catalogue's; two front ends lower it where this page says so: `patchgen diff` reports
        PG0003 as a warning, and the analyzer reports PG1xxx and PG2xxx as warnings, because the IL diff of the
        patch build is the authority that raises them as errors ([analyzer.md](analyzer.md)). The exit code a
        diagnostic gives the command line is in [cli.md](cli.md#exit-codes).
        """;
}
