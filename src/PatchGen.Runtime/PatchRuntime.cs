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
    /// The process's engine: the one every patching operation here, the control channel and the startup
    /// hook drive. Fixed for the life of the process: the instrumented assemblies it patches are its own
    /// (<see cref="Instrumentation.InstrumentedAssembly.Claim"/>), so another engine could not take them over.
    /// Tests make engines of their own (<see cref="PatchEngine(string)"/>) for assemblies nothing else patches.
    /// </summary>
    internal static PatchEngine Engine { get; } = new("process");

    /// <summary>
    /// Loads a patch assembly (and its PDB beside it) and starts switching threads to it. Once a key
    /// is trusted (<see cref="TrustPublicKey"/>), a patch that is not signed by a trusted key with a
    /// signature that verifies is refused (PG0006) before anything of it is loaded.
    /// </summary>
    public static PatchInfo Enable(string patchPath) => Engine.Enable(patchPath);

    /// <summary>Loads a patch from memory and starts switching threads to it; checked as <see cref="Enable(string)"/> is.</summary>
    public static PatchInfo Enable(byte[] image, byte[]? symbols = null, string source = "(in memory)")
        => Engine.Enable(image, symbols, source);

    // Process-wide, not the engine's: which patches may run in this process is the process's policy.
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
    public static PatchInfo Disable(string patchId) => Engine.Disable(patchId);

    /// <summary>
    /// Waits for the transition in progress; when it is still pending at the timeout, the result carries
    /// the PG4001 warning naming the threads that hold it open. The transition keeps going either way.
    /// </summary>
    public static TransitionResult WaitForTransition(TimeSpan timeout) => Engine.WaitForTransition(timeout);

    /// <summary>
    /// Completes the transition in progress now, switching every thread whatever it runs (PG4002). The
    /// affected patches can never be unloaded. Returns the warning.
    /// </summary>
    public static string Force() => Engine.Force();

    /// <summary>
    /// Unloads a disabled patch that was never forced; true when its load context was collected
    /// within <paramref name="timeout"/> (it is kept alive while any thread still runs its code).
    /// </summary>
    public static bool Unload(string patchId, TimeSpan timeout) => Engine.Unload(patchId, timeout);

    // Process-wide: one channel per process, named by its ID, and it drives the process's engine.
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
        Telemetry.RuntimeTelemetry.EnsureCreated();
        return Control.ControlServer.ListenForThisProcess();
    }

    // Process-wide: one folder per process, and what it holds is enabled on the process's engine.
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
        Telemetry.RuntimeTelemetry.EnsureCreated();
        PatchDirectory.PatchDirectoryWatch.StartForProcess(directory);
    }

    /// <summary>Patches, their states and the transition in progress with its stragglers.</summary>
    public static RuntimeStatus GetStatus() => Engine.GetStatus();

    /// <summary>Receives one line per event: patch enabled, transition forced, callback failed, ...</summary>
    public static Action<string>? Log
    {
        get => Engine.Log;
        set => Engine.Log = value;
    }
}

/// <summary>The outcome of waiting for a transition.</summary>
/// <param name="Completed">Whether no transition is in progress any more.</param>
/// <param name="Warning">The PG4001 warning line when it is still pending.</param>
public sealed record TransitionResult(bool Completed, string? Warning);
