using PatchGen.Baseline;

namespace PatchGen.Rules.Methods;

/// <summary>
/// The extended model's "private or internal method signature changed, every caller replaced"
/// (PG3010 instead of PG1001): the new method ships in the patch as a helper, as a method the fix
/// adds does, the patched callers call it, and the old one stays, no longer called by patched code.
/// Decided in two halves: what the shape says here (a method with an IL body in both builds, not a
/// constructor, not virtual in either build, with no explicit overrides, private or internal), and
/// what only the host sees (<see cref="Findings.IFindingSink.OnlyReplacedCodeUses"/>: the callers,
/// address-taking, reflection by name, <c>InternalsVisibleTo</c>). See docs/diff-rules.md#the-extended-model.
/// </summary>
internal static class SignatureHelperRule
{
    private const string Private = "private";

    public static bool Applies(RuleContext context, BaselineMethod old, BaselineMethod method)
    {
        if (!context.Extended || !old.HasBody || !method.HasBody || old.IsVirtual || method.IsVirtual
            || old.IsStaticConstructor || method.IsStaticConstructor || old.IsRecordClone
            || old.Name == ".ctor" || old.Dispatch != method.Dispatch)
            return false;
        // The manifest does not record accessibility: the analyzer judges by the method being edited.
        var accessibility = old.Accessibility.Length > 0 ? old.Accessibility : method.Accessibility;
        bool assemblyWide;
        switch (accessibility)
        {
            case Private:
                assemblyWide = false;
                break;
            case "internal":
            case "private protected":
                assemblyWide = true;
                break;
            default:
                return false;
        }
        return context.Sink.OnlyReplacedCodeUses(old, method, assemblyWide);
    }
}
