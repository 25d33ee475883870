using System.Reflection;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime;

/// <summary>Runs a patch's callbacks (livepatch's <c>klp_callbacks</c>); user code, never run under an engine's lock.</summary>
internal static class PatchCallbacks
{
    /// <summary>Runs the patch's callback of <paramref name="kind"/>, if it has one; a throw becomes PG4004.</summary>
    public static void Run(LoadedPatch patch, PatchCallbackKind kind)
    {
        if (!patch.Callbacks.TryGetValue(kind, out var method))
            return;
        try
        {
            method.Invoke(null, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.CallbackFailed, e.InnerException, patch.Id, Describe(kind), e.InnerException.GetType().Name + ": " + e.InnerException.Message);
        }
    }

    private static string Describe(PatchCallbackKind kind) => kind switch
    {
        PatchCallbackKind.PrePatch => "pre-patch",
        PatchCallbackKind.PostPatch => "post-patch",
        PatchCallbackKind.PreUnpatch => "pre-unpatch",
        _ => "post-unpatch",
    };
}
