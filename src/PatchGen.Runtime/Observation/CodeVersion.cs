namespace PatchGen.Runtime.Observation;

/// <summary>Where the runtime told us about a code version.</summary>
internal enum CodeVersionSource
{
    /// <summary>A MethodLoadVerbose seen live, while the continuous session was running.</summary>
    Jit,

    /// <summary>A MethodDCEndVerbose from a rundown: the code existed before we looked; its inlinees are unknown.</summary>
    Rundown,
}

/// <summary>
/// One compiled body of a method (a tier, an OSR continuation, a generic instantiation): its address
/// range and identity as the runtime reported them, and which methods its code contains inlined.
/// Immutable; <see cref="CodeMap"/> owns the set.
/// </summary>
internal sealed class CodeVersion
{
    internal CodeVersion(MethodLoadRecord record, CodeVersionSource source, IReadOnlyList<EventMethodName>? inlinees, IReadOnlyList<InlineEdge>? edges, long order)
    {
        MethodId = record.MethodId;
        ModuleId = record.ModuleId;
        StartAddress = record.StartAddress;
        Size = record.Size;
        Token = record.Token;
        Flags = record.Flags;
        Tier = RuntimeEventDecoder.TierFromFlags(record.Flags);
        Name = record.Method;
        ReJitId = record.ReJitId;
        Source = source;
        Inlinees = inlinees;
        InlineEdges = inlinees is null ? null : edges ?? Array.Empty<InlineEdge>();
        Order = order;
    }

    /// <summary>The runtime's MethodDesc address: one per method instantiation, shared by its tiers.</summary>
    public ulong MethodId { get; }

    /// <summary>The runtime's Module address.</summary>
    public ulong ModuleId { get; }

    public ulong StartAddress { get; }

    public uint Size { get; }

    public ulong EndAddress => StartAddress + Size;

    /// <summary>The method's metadata token (0 for dynamic methods and stubs).</summary>
    public uint Token { get; }

    /// <summary>Raw MethodFlags (see <see cref="RuntimeEventDecoder"/>).</summary>
    public uint Flags { get; }

    public CodeTier Tier { get; }

    public EventMethodName Name { get; }

    public ulong ReJitId { get; }

    public CodeVersionSource Source { get; }

    /// <summary>True for LCG (DynamicMethod) code and stubs: no metadata token, no MethodBase through the module.</summary>
    public bool IsDynamic => (Flags & RuntimeEventDecoder.FlagDynamic) != 0;

    /// <summary>
    /// The methods the JIT inlined into this code (as the inlining events name them, each once), or
    /// null when unknown: code from a rundown, code whose compilation started before the session, or
    /// code compiled while events were being dropped. Unknown must be treated as "may contain anything".
    /// </summary>
    public IReadOnlyList<EventMethodName>? Inlinees { get; }

    public bool InliningKnown => Inlinees is not null;

    /// <summary>
    /// The inlining tree of this code as (inliner, inlinee) pairs, the inliner being the method compiled
    /// or an inlinee of it; null when unknown. A frame entering a function from an inlined copy of its
    /// check is inside exactly that copy's ancestors (docs/consistency-model.md, "Inlining").
    /// </summary>
    public IReadOnlyList<InlineEdge>? InlineEdges { get; }

    private InlineTree? _tree;

    /// <summary>The JIT's inline tree of this code, when the runtime reported it (needs <c>DOTNET_RichDebugInfo=1</c>).</summary>
    public InlineTree? Tree
    {
        get => Volatile.Read(ref _tree);
        internal set => Volatile.Write(ref _tree, value);
    }

    /// <summary>Insertion order in the map, to let a newer range win over stale overlapping ones.</summary>
    internal long Order { get; }

    public bool Contains(ulong ip) => ip >= StartAddress && ip < EndAddress;

    public override string ToString() => $"{Name} [{Tier}] 0x{StartAddress:X}+{Size}";
}
