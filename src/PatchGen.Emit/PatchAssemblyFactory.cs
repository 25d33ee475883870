using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// Creates the empty patch module and writes PatchGen's metadata into it: the
/// <c>[assembly: Patch]</c> binding to the base build, <c>[Replaces]</c> on each replacement,
/// callbacks, system states, and the <c>IgnoresAccessChecksTo</c> declaration that lets the patch's
/// code use the base's private and internal members (the runtime honours it for any assembly that
/// declares the attribute type itself; docs/patch-format.md).
/// </summary>
internal sealed class PatchAssemblyFactory
{
    private readonly ModuleDefinition _module;
    private readonly AssemblyNameReference _runtime;
    private readonly HashSet<(int, int)> _systemStates = new();

    private PatchAssemblyFactory(ModuleDefinition module, AssemblyNameReference runtime)
    {
        _module = module;
        _runtime = runtime;
    }

    public ModuleDefinition Module => _module;

    /// <summary>
    /// A module named after the base and the patch ID. It references the same core library as the new
    /// build, and the PatchGen runtime the base references (the very one the live process runs).
    /// </summary>
    public static PatchAssemblyFactory Create(ModuleDefinition @base, ModuleDefinition @new, string patchId, IAssemblyResolver resolver)
    {
        var name = @base.Assembly.Name.Name + ".Patch." + SafeName(patchId);
        var assembly = AssemblyDefinition.CreateAssembly(new AssemblyNameDefinition(name, new Version(1, 0, 0, 0)), name + ".dll",
            new ModuleParameters { Kind = ModuleKind.Dll, Runtime = TargetRuntime.Net_4_0, Architecture = TargetArchitecture.I386, AssemblyResolver = resolver });
        var module = assembly.MainModule;
        module.Attributes = ModuleAttributes.ILOnly;
        // Cecil adds mscorlib for its type system unless the module already references a core library.
        var core = (AssemblyNameReference)@new.TypeSystem.CoreLibrary;
        module.AssemblyReferences.Add(Copy(core));
        var runtime = @base.AssemblyReferences.FirstOrDefault(r => r.Name == RuntimeNames.AssemblyName)
            ?? throw new InvalidOperationException("the base does not reference " + RuntimeNames.AssemblyName);
        var runtimeCopy = Copy(runtime);
        module.AssemblyReferences.Add(runtimeCopy);
        return new PatchAssemblyFactory(module, runtimeCopy);
    }

    /// <param name="formatVersion">Written only when it is not format 1, so a patch of one base reads as it always did.</param>
    public void AddPatchAttribute(string patchId, string targetAssembly, Guid baseMvid, bool cumulative, int formatVersion)
    {
        var attribute = new CustomAttribute(RuntimeConstructor("PatchAttribute", _module.TypeSystem.String, _module.TypeSystem.String, _module.TypeSystem.String));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, patchId));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, targetAssembly));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, baseMvid.ToString("D")));
        if (cumulative)
            attribute.Properties.Add(new CustomAttributeNamedArgument("Cumulative", new CustomAttributeArgument(_module.TypeSystem.Boolean, true)));
        if (formatVersion != PatchFormat.SingleBase)
            attribute.Properties.Add(new CustomAttributeNamedArgument(PatchFormat.FormatVersionProperty, new CustomAttributeArgument(_module.TypeSystem.Int32, formatVersion)));
        _module.Assembly.CustomAttributes.Add(attribute);
    }

    /// <summary><c>[assembly: PatchBase(name, mvid)]</c>: a further base of a patch of several assemblies (format 2).</summary>
    public void AddPatchBase(string targetAssembly, Guid baseMvid)
    {
        var attribute = new CustomAttribute(RuntimeConstructor(RuntimeNames.PatchBaseAttributeName, _module.TypeSystem.String, _module.TypeSystem.String));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, targetAssembly));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, baseMvid.ToString("D")));
        _module.Assembly.CustomAttributes.Add(attribute);
    }

    public void AddSystemState(int id, int version)
    {
        // Two bases' fixes may declare the same state: the patch declares it once.
        if (!_systemStates.Add((id, version)))
            return;
        var attribute = new CustomAttribute(RuntimeConstructor(RuntimeNames.PatchSystemStateAttributeName, _module.TypeSystem.Int32, _module.TypeSystem.Int32));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.Int32, id));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.Int32, version));
        _module.Assembly.CustomAttributes.Add(attribute);
    }

    /// <summary>
    /// <c>[assembly: AssemblyMetadata("PatchGen.Holder", "Shop.Cart")]</c> for each holder: a holder is a
    /// static class standing for a live type, not a type the patch ships, and only the emitter knows which.
    /// </summary>
    public void RecordHolders(IEnumerable<TypeDefinition> holders)
    {
        var metadataType = new TypeReference("System.Reflection", "AssemblyMetadataAttribute", _module, _module.TypeSystem.CoreLibrary);
        var constructor = new MethodReference(".ctor", _module.TypeSystem.Void, metadataType) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.String));
        constructor.Parameters.Add(new ParameterDefinition(_module.TypeSystem.String));
        foreach (var name in holders.Select(h => h.FullName).OrderBy(n => n, StringComparer.Ordinal))
        {
            var attribute = new CustomAttribute(constructor);
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, HolderMetadataKey));
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, name));
            _module.Assembly.CustomAttributes.Add(attribute);
        }
    }

    public const string HolderMetadataKey = "PatchGen.Holder";

    /// <param name="assembly">The base that declares the method, when it is not the first base (format 2).</param>
    public void MarkReplacement(MethodDefinition replacement, string documentationId, int site, string? assembly)
    {
        var attribute = new CustomAttribute(RuntimeConstructor(RuntimeNames.ReplacesAttributeName, _module.TypeSystem.String));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, documentationId));
        attribute.Properties.Add(new CustomAttributeNamedArgument("Site", new CustomAttributeArgument(_module.TypeSystem.Int32, site)));
        AddAssembly(attribute, assembly);
        replacement.CustomAttributes.Add(attribute);
    }

    /// <summary>Marks a copy of the original body of a replaced method (docs/patch-format.md).</summary>
    public void MarkOriginal(MethodDefinition original, string documentationId, string? assembly)
    {
        var attribute = new CustomAttribute(RuntimeConstructor(RuntimeNames.OriginalAttributeName, _module.TypeSystem.String));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, documentationId));
        AddAssembly(attribute, assembly);
        original.CustomAttributes.Add(attribute);
    }

    private void AddAssembly(CustomAttribute attribute, string? assembly)
    {
        if (assembly is not null)
            attribute.Properties.Add(new CustomAttributeNamedArgument(PatchFormat.AssemblyProperty, new CustomAttributeArgument(_module.TypeSystem.String, assembly)));
    }

    public void MarkCallback(MethodDefinition callback, int kind)
    {
        var kindType = new TypeReference(RuntimeNames.Namespace, RuntimeNames.PatchCallbackKindName, _module, _runtime, valueType: true);
        var attribute = new CustomAttribute(RuntimeConstructor(RuntimeNames.PatchCallbackAttributeName, kindType));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(kindType, kind));
        callback.CustomAttributes.Add(attribute);
    }

    /// <summary>
    /// Declares <c>System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute</c> in the patch and
    /// applies it for each assembly whose non-public members the patch's code may use.
    /// </summary>
    public void IgnoreAccessChecksTo(IEnumerable<string> assemblies)
    {
        var attributeBase = new TypeReference("System", "Attribute", _module, _module.TypeSystem.CoreLibrary);
        var type = new TypeDefinition("System.Runtime.CompilerServices", "IgnoresAccessChecksToAttribute",
            TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, attributeBase);
        var constructor = new MethodDefinition(".ctor",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, _module.TypeSystem.Void);
        constructor.Parameters.Add(new ParameterDefinition("assemblyName", ParameterAttributes.None, _module.TypeSystem.String));
        var il = constructor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, new MethodReference(".ctor", _module.TypeSystem.Void, attributeBase) { HasThis = true });
        il.Emit(OpCodes.Ret);
        type.Methods.Add(constructor);
        _module.Types.Add(type);
        foreach (var assembly in assemblies.Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal))
        {
            var attribute = new CustomAttribute(constructor);
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(_module.TypeSystem.String, assembly));
            _module.Assembly.CustomAttributes.Add(attribute);
        }
    }

    /// <summary>A public type of the runtime, by its simple name (<see cref="RuntimeNames"/>).</summary>
    public TypeReference RuntimeType(string typeName) => new(RuntimeNames.Namespace, typeName, _module, _runtime);

    /// <summary>
    /// Extended model: after the patch is disabled (every thread back in the original code), the shadow
    /// variables that kept the instance fields the fix added are removed from every object
    /// (<c>ShadowVariables.RemoveAll</c>), so that nothing of the patch stays attached to live objects and
    /// the patch can unload. The patch's own post-unpatch callback, if the fix has one, does it first:
    /// a patch has one callback of each kind.
    /// </summary>
    public void RemoveShadowsAfterUnpatch(IReadOnlyList<int> ids)
    {
        if (ids.Count == 0)
            return;
        const int postUnpatch = 3; // PatchCallbackKind.PostUnpatch
        var existing = _module.GetTypes().SelectMany(t => t.Methods).FirstOrDefault(m => m.CustomAttributes.Any(a =>
            a.AttributeType.Name == RuntimeNames.PatchCallbackAttributeName && Convert.ToInt32(a.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture) == postUnpatch));
        var callback = existing;
        if (callback is null)
        {
            var type = new TypeDefinition("", "<PatchGen>ShadowCleanup",
                TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class, _module.TypeSystem.Object);
            _module.Types.Add(type);
            callback = new MethodDefinition("RemoveShadows", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, _module.TypeSystem.Void);
            type.Methods.Add(callback);
            callback.Body.Instructions.Add(Instruction.Create(OpCodes.Ret));
            MarkCallback(callback, postUnpatch);
        }
        var removeAll = new MethodReference("RemoveAll", _module.TypeSystem.Int32, RuntimeType(RuntimeNames.ShadowVariablesName));
        removeAll.Parameters.Add(new ParameterDefinition(_module.TypeSystem.Int32));
        var il = callback.Body.GetILProcessor();
        var first = callback.Body.Instructions[0];
        foreach (int id in ids)
        {
            il.InsertBefore(first, il.Create(OpCodes.Ldc_I4, id));
            il.InsertBefore(first, il.Create(OpCodes.Call, removeAll));
            il.InsertBefore(first, il.Create(OpCodes.Pop));
        }
    }

    private MethodReference RuntimeConstructor(string typeName, params TypeReference[] parameters)
    {
        var type = new TypeReference(RuntimeNames.Namespace, typeName, _module, _runtime);
        var constructor = new MethodReference(".ctor", _module.TypeSystem.Void, type) { HasThis = true };
        foreach (var parameter in parameters)
            constructor.Parameters.Add(new ParameterDefinition(parameter));
        return constructor;
    }

    private static AssemblyNameReference Copy(AssemblyNameReference reference)
        => new(reference.Name, reference.Version)
        {
            Culture = reference.Culture,
            PublicKeyToken = reference.PublicKeyToken,
        };

    /// <summary>The patch ID as part of an assembly name: letters, digits, '.', '-' and '_' kept, anything else '_'.</summary>
    private static string SafeName(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (char c in id)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        return builder.ToString();
    }
}
