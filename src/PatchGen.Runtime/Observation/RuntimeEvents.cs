namespace PatchGen.Runtime.Observation;

/// <summary>
/// Providers, keywords and event IDs of the runtime events this component reads, as declared in
/// dotnet/runtime src/coreclr/vm/ClrEtwAll.man. The runtime writes these events with empty field
/// metadata in EventPipe, so the IDs (and <see cref="RuntimeEventDecoder"/>'s field order) are the
/// only contract.
/// </summary>
internal static class RuntimeEvents
{
    public const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    public const string RundownProvider = "Microsoft-Windows-DotNETRuntimeRundown";
    public const string SampleProfilerProvider = "Microsoft-DotNETCore-SampleProfiler";

    // Runtime provider keywords.
    public const ulong LoaderKeyword = 0x8;
    public const ulong JitKeyword = 0x10;
    public const ulong JitTracingKeyword = 0x1000;

    /// <summary>MethodDetails for the methods an inline tree names (runtime provider).</summary>
    public const ulong MethodDiagnosticKeyword = 0x4000000000;

    /// <summary>
    /// The private provider carries JittedMethodRichDebugInfo: each compiled method's inline tree. The JIT
    /// keeps that tree only when the process started with <c>DOTNET_RichDebugInfo=1</c>.
    /// </summary>
    public const string PrivateProvider = "Microsoft-Windows-DotNETRuntimePrivate";

    public const ulong RichDebugInfoKeyword = 0x40000;

    /// <summary>Private provider: one compiled method's inline tree and offset mappings, in chunks.</summary>
    public const int JittedMethodRichDebugInfo = 189;

    /// <summary>Runtime provider: a method's type handle, token and loader module.</summary>
    public const int MethodDetails = 72;

    // Runtime provider events.
    /// <summary>MethodUnloadVerbose (V0–V2): same payload as MethodLoadVerbose. Jit|NGen keywords, verbose.</summary>
    public const int MethodUnloadVerbose = 144;

    /// <summary>MethodLoadVerbose (V0–V2): one compiled code version. Jit|NGen keywords, verbose.</summary>
    public const int MethodLoadVerbose = 143;

    /// <summary>MethodJittingStarted (V0–V1). Jit keyword, verbose.</summary>
    public const int MethodJittingStarted = 145;

    /// <summary>ModuleLoad (V0–V2). Loader keyword, informational.</summary>
    public const int ModuleLoad = 152;

    /// <summary>AssemblyLoad (V0–V1): AssemblyID, AppDomainID, BindingID, AssemblyFlags (0x8 collectible), name. Loader keyword.</summary>
    public const int AssemblyLoad = 154;

    /// <summary>ModuleUnload (V0–V2). Loader keyword, informational.</summary>
    public const int ModuleUnload = 153;

    /// <summary>MethodJitInliningSucceeded. JitTracing keyword, verbose.</summary>
    public const int MethodJitInliningSucceeded = 185;

    /// <summary>MethodJitInliningFailedAnsi (reason as ANSI string); recognised and skipped.</summary>
    public const int MethodJitInliningFailedAnsi = 186;

    /// <summary>MethodJitTailCallSucceeded; recognised and skipped.</summary>
    public const int MethodJitTailCallSucceeded = 188;

    /// <summary>MethodJitTailCallFailedAnsi; recognised and skipped.</summary>
    public const int MethodJitTailCallFailedAnsi = 189;

    /// <summary>MethodJitTailCallFailed; recognised and skipped.</summary>
    public const int MethodJitTailCallFailed = 191;

    /// <summary>MethodJitInliningFailed (reason as Unicode string); recognised and skipped.</summary>
    public const int MethodJitInliningFailed = 192;

    // Rundown provider events (EndRundown: the session was asked for a rundown and is being stopped).
    /// <summary>MethodDCEndVerbose (V0–V2): same payload as MethodLoadVerbose, one per live code version.</summary>
    public const int MethodDCEndVerbose = 144;

    /// <summary>DCEndComplete: the rundown is over.</summary>
    public const int DCEndComplete = 146;

    /// <summary>ModuleDCEnd (V0–V2): same payload as ModuleLoad.</summary>
    public const int ModuleDCEnd = 154;

    /// <summary>AssemblyDCEnd (V0–V1): same payload as AssemblyLoad.</summary>
    public const int AssemblyDCEnd = 156;

    // Sample profiler.
    /// <summary>ThreadSample: one thread's stack in one sampling pass; payload is a 32-bit <see cref="ThreadSampleKind"/>.</summary>
    public const int ThreadSample = 0;
}
