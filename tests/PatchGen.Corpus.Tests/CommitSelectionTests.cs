using PatchGen.Corpus.Corpus;

namespace PatchGen.Corpus.Tests;

/// <summary>The message and file rules of the commit selection.</summary>
public sealed class CommitSelectionTests
{
    [Theory]
    [InlineData("Fix emoji table alignment regression (#943)", true)]
    [InlineData("fixes #608 (#609)", true)]
    [InlineData("Bug: parser loops", true)]
    [InlineData("Closes issue 12", true)]
    [InlineData("Add ScriptArray.From() static factory method", false)]
    [InlineData("Prefix handling", false)]
    public void MessageRule(string message, bool selected) => Assert.Equal(selected, CommitSelection.FixMessage().IsMatch(message));

    [Theory]
    [InlineData(new[] { "src/Lib/A.cs", "src/Lib/B.cs" }, true)]
    [InlineData(new[] { "src/Lib/A.cs", "src/Lib/Lib.csproj" }, false)]
    [InlineData(new string[0], false)]
    public void FileRule(string[] touched, bool selected) => Assert.Equal(selected, CommitSelection.IsSourceOnly(touched));
}
