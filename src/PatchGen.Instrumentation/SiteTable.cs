using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace PatchGen.Instrumentation;

/// <summary>
/// The <c>&lt;PatchGen&gt;Sites</c> type: <c>Base</c>, one slot field <c>s&lt;N&gt;</c> per site and the
/// dispatch delegates, registered with the runtime by its static constructor.
/// </summary>
internal sealed class SiteTable
{
    public const string TypeName = SiteEligibility.GeneratedPrefix + "Sites";

    private readonly ModuleDefinition _module;
    private readonly RuntimeReferences _references;

    public SiteTable(ModuleDefinition module, RuntimeReferences references)
    {
        _module = module;
        _references = references;
        // internal abstract sealed (a static class); beforefieldinit, since nothing depends on when it registers.
        Type = new TypeDefinition("", TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit,
            module.TypeSystem.Object);
        module.Types.Add(Type);
        Base = new FieldDefinition("Base", FieldAttributes.Public | FieldAttributes.Static | FieldAttributes.InitOnly, module.TypeSystem.Int32);
        Type.Fields.Add(Base);
    }

    public TypeDefinition Type { get; }

    public FieldDefinition Base { get; }

    public FieldDefinition AddSlot(int site)
    {
        var slot = new FieldDefinition("s" + site.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FieldAttributes.Public | FieldAttributes.Static, _references.PatchSite);
        Type.Fields.Add(slot);
        return slot;
    }

    /// <summary>The static constructor: <c>Base = PatchSites.RegisterAssembly(ldtoken &lt;PatchGen&gt;Sites, count)</c>.</summary>
    public void AddStaticConstructor(int siteCount)
    {
        var cctor = new MethodDefinition(".cctor",
            MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.Static,
            _module.TypeSystem.Void);
        var il = cctor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldtoken, Type);
        il.Emit(OpCodes.Ldc_I4, siteCount);
        il.Emit(OpCodes.Call, _references.RegisterAssembly);
        il.Emit(OpCodes.Stsfld, Base);
        il.Emit(OpCodes.Ret);
        cctor.Body.OptimizeMacros();
        Type.Methods.Add(cctor);
    }
}
