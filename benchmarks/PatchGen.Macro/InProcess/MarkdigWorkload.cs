using System.Reflection;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// Markdig 1.6.0 as shipped: one operation renders Data/markdig-document.md (a 13 KB README: headings, nested
/// and task lists, fenced code, pipe tables with alignment, block quotes, emphasis, links, autolinks, footnotes,
/// strikethrough) to HTML with <c>Markdown.ToHtml</c> and the advanced-extensions pipeline.
/// </summary>
internal static class MarkdigWorkload
{
    public const string Name = "markdig";

    public const string DllName = "Markdig.dll";

    public static void Prepare(string workDirectory, string? variant = null) => LibraryCopies.Prepare(HarnessPaths.MarkdigDll, Path.Combine(workDirectory, Name), variant);

    /// <summary>The workload over the copies <see cref="Prepare"/> wrote.</summary>
    public static Workload Create(string workDirectory)
    {
        var copies = LibraryCopies.Load(Path.Combine(workDirectory, Name), DllName);
        var document = File.ReadAllText(HarnessPaths.DataFile("markdig-document.md"));
        var plain = Renderer(copies.Plain1);
        var expected = plain(document);
        if (!expected.Contains("<table>", StringComparison.Ordinal) || !expected.Contains("<code class=\"language-csharp\">", StringComparison.Ordinal))
            throw new InvalidOperationException("the advanced pipeline did not render tables and code blocks; the workload would be smaller than it says");
        return new Workload(Name, "Markdig 1.6.0: render a 13 KB README (tables, lists, code, links) to HTML, advanced extensions",
        [
            Variant(LibraryCopies.Plain1Name, plain, document, expected),
            Variant(LibraryCopies.Plain2Name, Renderer(copies.Plain2), document, expected),
            Variant(LibraryCopies.InstrumentedName, Renderer(copies.Instrumented), document, expected),
            .. copies.Variant is null ? [] : new[] { Variant(LibraryCopies.VariantName, Renderer(copies.Variant), document, expected) },
        ]);
    }

    /// <summary>One operation on one copy of the library (also what the <c>jit</c> command's child processes run).</summary>
    public static Func<long> Operation(Assembly markdig)
    {
        var render = Renderer(markdig);
        var document = File.ReadAllText(HarnessPaths.DataFile("markdig-document.md"));
        return () => render(document).Length;
    }

    private static Variant Variant(string name, Func<string, string> render, string document, string expected)
        => new(name, () => render(document).Length, () => render(document), expected);

    /// <summary><c>markdown =&gt; Markdown.ToHtml(markdown, pipeline, null)</c> of one copy.</summary>
    private static Func<string, string> Renderer(Assembly markdig)
    {
        var builderType = markdig.GetType("Markdig.MarkdownPipelineBuilder", throwOnError: true)!;
        var builder = Activator.CreateInstance(builderType)!;
        markdig.GetType("Markdig.MarkdownExtensions", throwOnError: true)!
            .GetMethod("UseAdvancedExtensions", [builderType])!
            .Invoke(null, [builder]);
        var pipeline = builderType.GetMethod("Build")!.Invoke(builder, null)!;
        var contextType = markdig.GetType("Markdig.MarkdownParserContext", throwOnError: true)!;
        var toHtml = markdig.GetType("Markdig.Markdown", throwOnError: true)!
            .GetMethod("ToHtml", [typeof(string), pipeline.GetType(), contextType])!;
        // A compiled expression: a direct call with the pipeline as a constant, the same for every copy.
        var markdown = System.Linq.Expressions.Expression.Parameter(typeof(string));
        var call = System.Linq.Expressions.Expression.Call(toHtml, markdown,
            System.Linq.Expressions.Expression.Constant(pipeline), System.Linq.Expressions.Expression.Constant(null, contextType));
        return System.Linq.Expressions.Expression.Lambda<Func<string, string>>(call, markdown).Compile();
    }
}
