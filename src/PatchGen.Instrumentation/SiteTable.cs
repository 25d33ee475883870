using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>
/// The <c>&lt;PatchGen&gt;Sites</c> type: one slot field per site, the table the dispatch stubs find
/// sites in, and (added by <see cref="DispatchStubs"/>) the stubs. It has no static constructor, so
/// reading a slot never costs a class-initialization check.
/// </summary>
internal sealed class SiteTable
{
    public const string TypeName = PatchSiteFormat.SitesTypeName;

    private readonly ModuleDefinition _module;

    public SiteTable(ModuleDefinition module, RuntimeReferences references)
    {
        _module = module;
        // internal abstract sealed (a static class); beforefieldinit: nothing depends on when its statics exist.
        Type = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit,
            module.TypeSystem.Object);
        module.Types.Add(Type);
        Table = new FieldDefinition(PatchSiteFormat.TableFieldName, FieldAttributes.Public | FieldAttributes.Static, new ArrayType(references.PatchSite));
        Type.Fields.Add(Table);
    }

    public TypeDefinition Type { get; }

    /// <summary><c>PatchSite[] Table</c>: set by the runtime before it sets any slot; stubs read site N as <c>Table[N]</c>.</summary>
    public FieldDefinition Table { get; }

    /// <summary>
    /// The slot of <paramref name="site"/>: false until a patch first touches the method. A <c>bool</c>, not a
    /// reference: a static without GC references lives beside the code, so the JIT checks it with one
    /// RIP-relative <c>cmp byte ptr [rip+d], 0</c> and no register, where a reference static needs its address
    /// loaded into a register first (three instructions), which matters in every inlined copy of a hot method.
    /// </summary>
    public FieldDefinition AddSlot(int site, bool aggressiveInliningAdded)
    {
        var slot = new FieldDefinition(PatchSiteFormat.SlotName(site, aggressiveInliningAdded),
            FieldAttributes.Public | FieldAttributes.Static, _module.TypeSystem.Boolean);
        Type.Fields.Add(slot);
        return slot;
    }
}
