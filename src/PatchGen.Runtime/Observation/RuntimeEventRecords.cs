namespace PatchGen.Runtime.Observation;

/// <summary>A method as the runtime's events name it: declaring type (with namespace), name, signature text.</summary>
internal readonly record struct EventMethodName(string Namespace, string Name, string Signature)
{
    public override string ToString() => $"{Namespace}::{Name} {Signature}";
}

/// <summary>MethodLoadVerbose / MethodDCEndVerbose / MethodUnloadVerbose payload.</summary>
internal readonly record struct MethodLoadRecord(
    ulong MethodId, ulong ModuleId, ulong StartAddress, uint Size, uint Token, uint Flags, EventMethodName Method, ulong ReJitId);

/// <summary>MethodJittingStarted payload.</summary>
internal readonly record struct MethodJittingStartedRecord(ulong MethodId, ulong ModuleId, uint Token, uint ILSize, EventMethodName Method);

/// <summary>MethodJitInliningSucceeded payload: while compiling one method, the JIT inlined <see cref="Inlinee"/> into <see cref="Inliner"/>.</summary>
internal readonly record struct InliningRecord(EventMethodName BeingCompiled, EventMethodName Inliner, EventMethodName Inlinee);

/// <summary>ModuleLoad / ModuleDCEnd / ModuleUnload payload (the fields this component needs).</summary>
internal readonly record struct ModuleLoadRecord(ulong ModuleId, ulong AssemblyId, uint Flags, string ILPath, string NativePath);

/// <summary>What a sampled thread was doing, from the ThreadSample payload.</summary>
internal enum ThreadSampleKind
{
    /// <summary>The runtime could not tell.</summary>
    Error = 0,

    /// <summary>In native code, a wait, or the runtime itself (preemptive mode); the stack holds its managed frames.</summary>
    External = 1,

    /// <summary>Running managed code (cooperative mode).</summary>
    Managed = 2,
}

/// <summary>AssemblyLoad / AssemblyDCEnd payload.</summary>
internal readonly record struct AssemblyLoadRecord(ulong AssemblyId, uint Flags, string FullName)
{
    /// <summary>AssemblyFlags 0x8: the assembly lives in a collectible load context and may be unloaded.</summary>
    public bool IsCollectible => (Flags & 0x8) != 0;

    /// <summary>AssemblyFlags 0x2: a Reflection.Emit assembly.</summary>
    public bool IsDynamic => (Flags & 0x2) != 0;
}

/// <summary>One inline the JIT made: <paramref name="Inliner"/> (the method compiled, or an inlinee of it) got <paramref name="Inlinee"/>'s code.</summary>
internal readonly record struct InlineEdge(EventMethodName Inliner, EventMethodName Inlinee);

/// <summary>MethodDetails: what identifies a MethodID in metadata (the declaring type's handle makes generic instantiations resolvable).</summary>
internal readonly record struct MethodDetailsRecord(ulong MethodId, ulong TypeId, uint Token, ulong LoaderModuleId);

/// <summary>One chunk of a JittedMethodRichDebugInfo event.</summary>
internal readonly record struct RichDebugInfoChunk(ulong MethodId, uint ChunkIndex, bool Final, ReadOnlyMemory<byte> Data);
