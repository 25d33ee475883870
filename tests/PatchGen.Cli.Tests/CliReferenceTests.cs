using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// docs/cli.md documents the tool as it is: every command has its section, and every argument and
/// option of a command is named in that section; every command the page documents exists.
/// </summary>
public partial class CliReferenceTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "cli.md")).ReplaceLineEndings("\n");

    private static IEnumerable<Command> Commands() => PatchGenCommandLine.CreateRoot(TextWriter.Null, TextWriter.Null).Subcommands;

    [Fact]
    public void EveryCommandHasItsSectionNamingEachArgumentAndOption()
    {
        foreach (var command in Commands())
        {
            var section = Section(command.Name);
            Assert.True(section is not null, $"docs/cli.md has no section '`patchgen {command.Name}`'");
            foreach (var argument in command.Arguments)
                Assert.True(section.Contains($"`<{argument.Name}>`", StringComparison.Ordinal), $"docs/cli.md, patchgen {command.Name}: argument <{argument.Name}> is not documented");
            foreach (var option in command.Options.Where(o => o is not HelpOption))
            {
                foreach (var name in option.Aliases.Append(option.Name))
                    Assert.True(section.Contains($"`{name}", StringComparison.Ordinal), $"docs/cli.md, patchgen {command.Name}: option {name} is not documented");
            }
        }
    }

    [Fact]
    public void EveryDocumentedCommandExists()
    {
        var names = Commands().Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (Match heading in SectionHeading().Matches(Page))
            Assert.True(names.Contains(heading.Groups[1].Value), $"docs/cli.md documents 'patchgen {heading.Groups[1].Value}', which does not exist");
    }

    /// <summary>The text under <c>## `patchgen name`</c> (or <c>###</c>) up to the next heading, or null.</summary>
    private static string? Section(string name)
    {
        var heading = SectionHeading().Matches(Page).FirstOrDefault(m => m.Groups[1].Value == name);
        if (heading is null)
            return null;
        var start = heading.Index + heading.Length;
        var next = NextHeading().Match(Page, start);
        return Page[start..(next.Success ? next.Index : Page.Length)];
    }

    [GeneratedRegex(@"^#{2,3} `patchgen ([a-z]+)`$", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^#{2,3} ", RegexOptions.Multiline)]
    private static partial Regex NextHeading();
}
