namespace PatchGen.Runtime.Observation;

/// <summary>
/// Hand decoders for the runtime's native events, field by field in manifest order (ClrEtwAll.man).
/// Later versions only append fields, so each decoder reads the fields it needs and ignores the rest;
/// a payload too short for them answers false.
/// </summary>
internal static class RuntimeEventDecoder
{
    /// <summary>
    /// MethodFlags: 0x1 dynamic, 0x2 generic, 0x4 shared generic code, 0x8 jitted, 0x10 JIT helper,
    /// bits 7–9 the JIT optimization tier (eventtrace.h, MethodFlagsJitOptimizationTierShift/LowMask).
    /// </summary>
    public const uint FlagDynamic = 0x1;
    public const uint FlagGeneric = 0x2;
    public const uint FlagSharedGenericCode = 0x4;
    public const uint FlagJitted = 0x8;
    public const uint FlagJitHelper = 0x10;
    private const int TierShift = 7;
    private const uint TierMask = 0x7;

    // MethodLoadVerbose, MethodDCEndVerbose and MethodUnloadVerbose share one template.
    public static bool TryDecodeMethodLoad(ReadOnlySpan<byte> payload, out MethodLoadRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadUInt64(out ulong methodId) || !r.TryReadUInt64(out ulong moduleId) ||
            !r.TryReadUInt64(out ulong start) || !r.TryReadUInt32(out uint size) ||
            !r.TryReadUInt32(out uint token) || !r.TryReadUInt32(out uint flags) ||
            !r.TryReadString(out string ns) || !r.TryReadString(out string name) || !r.TryReadString(out string signature))
        {
            return false;
        }

        // V1 appends ClrInstanceID, V2 the ReJIT ID.
        ulong rejit = 0;
        if (r.TryReadUInt16(out _))
        {
            r.TryReadUInt64(out rejit);
        }

        record = new MethodLoadRecord(methodId, moduleId, start, size, token, flags, new EventMethodName(ns, name, signature), rejit);
        return true;
    }

    public static bool TryDecodeMethodJittingStarted(ReadOnlySpan<byte> payload, out MethodJittingStartedRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadUInt64(out ulong methodId) || !r.TryReadUInt64(out ulong moduleId) ||
            !r.TryReadUInt32(out uint token) || !r.TryReadUInt32(out uint ilSize) ||
            !r.TryReadString(out string ns) || !r.TryReadString(out string name) || !r.TryReadString(out string signature))
        {
            return false;
        }

        record = new MethodJittingStartedRecord(methodId, moduleId, token, ilSize, new EventMethodName(ns, name, signature));
        return true;
    }

    public static bool TryDecodeInliningSucceeded(ReadOnlySpan<byte> payload, out InliningRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!TryReadName(ref r, out EventMethodName compiled) || !TryReadName(ref r, out EventMethodName inliner) ||
            !TryReadName(ref r, out EventMethodName inlinee))
        {
            return false;
        }

        record = new InliningRecord(compiled, inliner, inlinee);
        return true;
    }

    // ModuleLoad, ModuleDCEnd and ModuleUnload share one template.
    public static bool TryDecodeModuleLoad(ReadOnlySpan<byte> payload, out ModuleLoadRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadUInt64(out ulong moduleId) || !r.TryReadUInt64(out ulong assemblyId) ||
            !r.TryReadUInt32(out uint flags) || !r.TryReadUInt32(out _) ||
            !r.TryReadString(out string ilPath) || !r.TryReadString(out string nativePath))
        {
            return false;
        }

        record = new ModuleLoadRecord(moduleId, assemblyId, flags, ilPath, nativePath);
        return true;
    }

    // AssemblyLoad and AssemblyDCEnd share one template.
    public static bool TryDecodeAssemblyLoad(ReadOnlySpan<byte> payload, out AssemblyLoadRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadUInt64(out ulong assemblyId) || !r.TryReadUInt64(out _) || !r.TryReadUInt64(out _) ||
            !r.TryReadUInt32(out uint flags) || !r.TryReadString(out string name))
        {
            return false;
        }

        record = new AssemblyLoadRecord(assemblyId, flags, name);
        return true;
    }

    public static ThreadSampleKind DecodeThreadSample(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        return r.TryReadUInt32(out uint kind) && kind <= 2 ? (ThreadSampleKind)kind : ThreadSampleKind.Error;
    }

    /// <summary>The code tier a MethodLoad's flags describe.</summary>
    public static CodeTier TierFromFlags(uint flags)
    {
        uint tier = (flags >> TierShift) & TierMask;
        return tier switch
        {
            1 => CodeTier.MinOpts,
            2 => CodeTier.Optimized,
            3 => CodeTier.Tier0,
            4 => CodeTier.Tier1,
            5 => CodeTier.Tier1Osr,
            6 => CodeTier.Tier0Instrumented,
            7 => CodeTier.Tier1Instrumented,

            // The runtime's tier enum has no ReadyToRun value: precompiled code is reported with tier 0
            // (unknown) and without the "jitted" flag.
            _ when (flags & (FlagJitted | FlagDynamic | FlagJitHelper)) == 0 => CodeTier.ReadyToRun,
            _ => CodeTier.Unknown,
        };
    }

    private static bool TryReadName(ref PayloadReader r, out EventMethodName name)
    {
        name = default;
        if (!r.TryReadString(out string ns) || !r.TryReadString(out string n) || !r.TryReadString(out string signature))
        {
            return false;
        }

        name = new EventMethodName(ns, n, signature);
        return true;
    }

    /// <summary>MethodDetails: MethodID, TypeID, MethodToken, TypeParameterCount, LoaderModuleID, type parameters.</summary>
    public static bool TryDecodeMethodDetails(ReadOnlySpan<byte> payload, out MethodDetailsRecord record)
    {
        record = default;
        var r = new PayloadReader(payload);
        if (!r.TryReadUInt64(out ulong methodId) || !r.TryReadUInt64(out ulong typeId) || !r.TryReadUInt32(out uint token) ||
            !r.TryReadUInt32(out _) || !r.TryReadUInt64(out ulong loaderModule))
        {
            return false;
        }

        record = new MethodDetailsRecord(methodId, typeId, token, loaderModule);
        return true;
    }

    /// <summary>
    /// JittedMethodRichDebugInfo: ClrInstanceID (u16), MethodID (u64), MethodVersion (u64), ILVersion (u64),
    /// chunk number (u32; the high bit marks the last chunk), chunk length (u32), then the chunk's bytes.
    /// </summary>
    public static bool TryDecodeRichDebugInfo(ReadOnlyMemory<byte> payload, out RichDebugInfoChunk chunk)
    {
        chunk = default;
        var r = new PayloadReader(payload.Span);
        if (!r.TryReadUInt16(out _) || !r.TryReadUInt64(out ulong methodId) || !r.TryReadUInt64(out _) || !r.TryReadUInt64(out _) ||
            !r.TryReadUInt32(out uint number) || !r.TryReadUInt32(out uint length))
        {
            return false;
        }

        const int header = 2 + 8 + 8 + 8 + 4 + 4;
        if (length > payload.Length - header)
        {
            return false;
        }

        chunk = new RichDebugInfoChunk(methodId, number & 0x7FFFFFFF, (number & 0x80000000) != 0, payload.Slice(header, (int)length));
        return true;
    }
}
