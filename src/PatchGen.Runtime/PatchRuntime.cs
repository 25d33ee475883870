using System.Globalization;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Signing;

namespace PatchGen.Runtime;

/// <summary>
/// Live patching of the running process: the whole public API of the runtime (docs/consistency-model.md).
/// Operations return as soon as their transition has started; <see cref="WaitForTransition"/> waits for it.
/// A refused operation throws <see cref="PatchRuntimeException"/> and changes nothing.
/// </summary>
public static class PatchRuntime
{
    /// <summary>
    /// Loads a patch assembly (and its PDB beside it) and starts switching threads to it. Once a key
    /// is trusted (<see cref="TrustPublicKey"/>), a patch that is not signed by a trusted key with a
    /// signature that verifies is refused (PG0006) before anything of it is loaded.
    /// </summary>
    public static PatchInfo Enable(string patchPath)
        => PatchEngine.Describe(PatchEngine.Enable(() => PatchLoader.Load(patchPath)));

    /// <summary>Loads a patch from memory and starts switching threads to it; checked as <see cref="Enable(string)"/> is.</summary>
    public static PatchInfo Enable(byte[] image, byte[]? symbols = null, string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(image);
        // A private copy: what is verified must be what is loaded, even if the caller's array changes.
        var copy = (byte[])image.Clone();
        return PatchEngine.Describe(PatchEngine.Enable(() => PatchLoader.Load(copy, symbols, source)));
    }

    /// <summary>
    /// Trusts a strong-name key: from now on <see cref="Enable(string)"/> accepts only patches whose
    /// strong-name signature verifies and was made with a trusted key. <paramref name="publicKey"/> is an
    /// assembly public key blob (<c>sn -p</c> output, or <see cref="System.Reflection.AssemblyName.GetPublicKey"/>
    /// of a signed assembly) or a whole <c>.snk</c> key pair, of which only the public part is kept.
    /// Keys listed in the <c>PATCHGEN_TRUSTED_KEYS</c> environment variable (key files separated by
    /// <see cref="Path.PathSeparator"/>, read when the first patch is checked) are trusted too. A key
    /// cannot be distrusted again while the process runs.
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not an RSA strong-name key.</exception>
    public static void TrustPublicKey(byte[] publicKey) => TrustedKeys.Trust(publicKey);

    /// <summary>
    /// Starts reverting a patch through the same consistency model. If the patch is still being
    /// enabled, its transition is reversed instead.
    /// </summary>
    public static PatchInfo Disable(string patchId) => PatchEngine.Describe(PatchEngine.Disable(patchId));

    /// <summary>
    /// Waits for the transition in progress; when it is still pending at the timeout, the result carries
    /// the PG4001 warning naming the threads that hold it open. The transition keeps going either way.
    /// </summary>
    public static TransitionResult WaitForTransition(TimeSpan timeout)
    {
        if (PatchEngine.WaitForTransition(timeout))
            return new TransitionResult(true, null);
        var status = PatchEngine.Snapshot();
        var transition = status.Transition;
        if (transition is null)
            return new TransitionResult(true, null);
        var threads = transition.PendingThreads.Count == 0
            ? "no thread is known to hold it"
            : string.Join("; ", transition.PendingThreads.Select(t =>
                (t.ManagedThreadId != 0 ? $"thread {t.ManagedThreadId.ToString(CultureInfo.InvariantCulture)}" : $"OS thread {t.OsThreadId.ToString(CultureInfo.InvariantCulture)}")
                + (t.Name is null ? "" : " '" + t.Name + "'")
                + (t.Functions.Count == 0 ? " (not yet examined)" : " is in " + string.Join(", ", t.Functions))));
        var entryPoints = LifetimeFunctions.EntryPoints();
        var forever = transition.PendingThreads.SelectMany(t => t.Functions).Where(entryPoints.Contains).Distinct().ToList();
        if (forever.Count > 0)
            threads += "; " + string.Join("; ", forever.Select(LifetimeFunctions.Explain));
        var message = DiagnosticCatalog.TransitionStalled.Format(transition.PatchId, FormatElapsed(transition.Elapsed), threads);
        PatchEngine.Emit("warning PG4001: " + message);
        return new TransitionResult(false, "warning PG4001: " + message);
    }

    /// <summary>
    /// Completes the transition in progress now, switching every thread whatever it runs (PG4002). The
    /// affected patches can never be unloaded. Returns the warning.
    /// </summary>
    public static string Force()
    {
        var patch = PatchEngine.Force();
        return "warning PG4002: " + DiagnosticCatalog.TransitionForced.Format(patch.Id);
    }

    /// <summary>
    /// Unloads a disabled patch that was never forced; true when its load context was collected
    /// within <paramref name="timeout"/> (it is kept alive while any thread still runs its code).
    /// </summary>
    public static bool Unload(string patchId, TimeSpan timeout) => PatchEngine.Unload(patchId, timeout);

    /// <summary>
    /// Opens this process's control channel, on which <c>patchgen apply|list|disable|force --pid</c>
    /// reach it (docs/control-channel.md): a Unix domain socket only this user can use, or a named pipe
    /// on Windows. Idempotent; returns the socket path or pipe name. The channel runs on background
    /// threads and is closed when the process exits. Setting
    /// <c>DOTNET_STARTUP_HOOKS=&lt;path&gt;/PatchGen.Runtime.dll</c> calls it before <c>Main</c>.
    /// </summary>
    /// <exception cref="IOException">The channel cannot be opened, for example because its folder is
    /// not private to this user; the message says why.</exception>
    public static string Listen()
    {
        Consistency.RuntimeObservation.EnsureStarted();
        return Control.ControlServer.ListenForThisProcess();
    }

    /// <summary>
    /// Follows a patch directory, as kpatch installs patches to load again at boot (docs/patch-directory.md):
    /// enables every patch in <paramref name="directory"/> bound to a loaded build now, in the order of
    /// their file names, each after the previous one's transition completed (within 30 s; the rest goes on
    /// in the background), then enables patches of assemblies as they load, and keeps the runtime in step
    /// with the folder: a patch added is enabled, a patch removed disabled, a patch replaced replaced. A bad
    /// patch is logged with its diagnostic ID (to <see cref="Log"/>, else standard error) and skipped; this
    /// method never fails because of what the folder holds, which need not exist yet. The startup hook calls
    /// it before <c>Main</c> with <c>PATCHGEN_PATCH_DIR</c>, or the <c>PatchGen.PatchDirectory</c> runtime
    /// property (<c>&lt;PatchGenPatchDirectory&gt;</c>). One folder per process.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process already follows another folder.</exception>
    public static void WatchPatchDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        PatchDirectory.PatchDirectoryWatch.StartForProcess(directory);
    }

    /// <summary>Patches, their states and the transition in progress with its stragglers.</summary>
    public static RuntimeStatus GetStatus() => PatchEngine.Snapshot();

    /// <summary>Receives one line per event: patch enabled, transition forced, callback failed, ...</summary>
    public static Action<string>? Log
    {
        get => PatchEngine.Log;
        set => PatchEngine.Log = value;
    }

    private static string FormatElapsed(TimeSpan elapsed)
        => elapsed.TotalSeconds >= 1
            ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : ((int)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
}

/// <summary>The outcome of waiting for a transition.</summary>
/// <param name="Completed">Whether no transition is in progress any more.</param>
/// <param name="Warning">The PG4001 warning line when it is still pending.</param>
public sealed record TransitionResult(bool Completed, string? Warning);
