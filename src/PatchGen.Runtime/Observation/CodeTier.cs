namespace PatchGen.Runtime.Observation;

/// <summary>Which kind of compiled code a code version is (MethodFlags bits 7–9, plus ReadyToRun).</summary>
internal enum CodeTier
{
    /// <summary>Not reported (tier bits 0 on jitted code).</summary>
    Unknown,

    /// <summary>Fully unoptimized: debuggable code, or the JIT switched to MinOpts (huge method).</summary>
    MinOpts,

    /// <summary>Optimized outside tiering (AggressiveOptimization, tiering disabled, or a method not eligible for it).</summary>
    Optimized,

    /// <summary>Tier 0 (quick JIT, no inlining).</summary>
    Tier0,

    /// <summary>Tier 1 (optimized after counting calls).</summary>
    Tier1,

    /// <summary>On-stack-replacement code: the optimized continuation of a loop entered in tier 0.</summary>
    Tier1Osr,

    /// <summary>Tier 0 with profile instrumentation (dynamic PGO).</summary>
    Tier0Instrumented,

    /// <summary>Optimized code with profile instrumentation (dynamic PGO for methods with loops, or R2R code being re-profiled).</summary>
    Tier1Instrumented,

    /// <summary>Precompiled (ReadyToRun) code, seen only in rundown.</summary>
    ReadyToRun,
}
