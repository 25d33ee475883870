using System.CommandLine;
using System.Globalization;
using PatchGen.Cli.Failures;
using PatchGen.Instrumentation;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen instrument &lt;in.dll&gt; [-o &lt;out.dll&gt;] [--key &lt;snk&gt;] [--inline-clones &lt;bytes&gt;] [--outline-bodies &lt;bytes&gt;] [--no-steady-stubs]</c>: gives every method with
/// an IL body a patch site (docs/patch-sites.md). Without <c>-o</c> the assembly is rewritten in place.
/// </summary>
internal static class InstrumentCommand
{
    public static Command Create(TextWriter stdout)
    {
        var input = new Argument<string>("in.dll") { Description = "The assembly to make patchable (its PDB, embedded or beside it, is rewritten to match)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the instrumented assembly (default: replace the input)." };
        var key = new Option<string?>("--key") { Description = "A strong-name key pair (.snk) to sign the output with." };
        var inlineClones = new Option<int>("--inline-clones")
        {
            Description = "The largest IL body (bytes) that gets a site-less inline clone for direct calls inside the assembly (docs/patch-sites.md); 0: none. Default 128.",
            DefaultValueFactory = _ => SiteEligibility.InlineCloneDefaultSize,
        };
        var outlineBodies = new Option<int>("--outline-bodies")
        {
            Description = "Methods with more IL than this (bytes; not virtual, not generic, not constructors) keep their site but run their body from a site-less clone (docs/patch-sites.md, site format 5); 0: none. Default " + new InstrumentOptions().OutlineBodiesOver.ToString(CultureInfo.InvariantCulture) + ".",
            DefaultValueFactory = _ => new InstrumentOptions().OutlineBodiesOver,
        };
        var noSteadyStubs = new Option<bool>("--no-steady-stubs") { Description = "Dispatch out of line only: no steady stub inlined into the methods (docs/patch-sites.md, \"Steady stubs\"). A smaller file and less compiled code; a patched call ~1-2 ns dearer." };
        var noRuntimeCopy = new Option<bool>("--no-runtime-copy") { Description = "Do not copy PatchGen.Runtime beside the output nor register it in deps.json: the build supplies it (the PatchGen.Runtime package, as PatchGen.Build does)." };
        var command = new Command("instrument", "Add patch sites to an assembly so that a running process can be live-patched. Copies PatchGen.Runtime beside it (unless --no-runtime-copy). Exit 0: done; 2: input error.")
        {
            input,
            output,
            key,
            inlineClones,
            outlineBodies,
            noSteadyStubs,
            noRuntimeCopy,
        };
        command.SetAction(parse =>
        {
            var inputPath = parse.GetRequiredValue(input);
            var outputPath = parse.GetValue(output) ?? inputPath;
            if (parse.GetValue(inlineClones) < 0)
                throw CommandErrors.Usage("instrument", "--inline-clones takes a number of IL bytes, 0 for none");
            if (parse.GetValue(outlineBodies) < 0)
                throw CommandErrors.Usage("instrument", "--outline-bodies takes a number of IL bytes, 0 for none");
            var options = new InstrumentOptions
            {
                KeyFile = parse.GetValue(key),
                CopyRuntime = !parse.GetValue(noRuntimeCopy),
                InlineCloneMaxCodeSize = parse.GetValue(inlineClones),
                OutlineBodiesOver = parse.GetValue(outlineBodies),
                InlineSteadyStubs = !parse.GetValue(noSteadyStubs),
            };
            var result = CommandErrors.WhenUnreadable(inputPath, "could not be instrumented",
                () => AssemblyInstrumenter.Instrument(inputPath, outputPath, options));
            stdout.WriteLine("patchgen: " + result.Summary(outputPath) + " in "
                + result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s");
            return ExitCodes.Success;
        });
        return command;
    }
}
