using System.CommandLine;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;

namespace PatchGen.Cli;

/// <summary><c>--model simple|extended</c> of <c>patchgen diff</c> and <c>patchgen build</c> (docs/diff-rules.md#models).</summary>
internal static class ModelOption
{
    public static Option<string?> Create() => new("--model")
    {
        Description = "Which changes are accepted: " + PatchModels.SimpleName + " (default) or " + PatchModels.ExtendedName + " (transformations reported as PG3xxx warnings; docs/diff-rules.md).",
        HelpName = PatchModels.SimpleName + "|" + PatchModels.ExtendedName,
    };

    /// <summary>The model the command line names; a name that is not a model's is PG0001 (exit 2).</summary>
    public static PatchModel Read(ParseResult parse, Option<string?> option, string command)
    {
        var text = parse.GetValue(option);
        if (!PatchModels.TryParse(text, out var model))
            throw CommandErrors.Usage(command, $"--model '{text}' is not a model: expected {PatchModels.Expected}");
        return model;
    }
}
