using Mono.Cecil;
using PatchGen.Runtime;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Instrumentation;

/// <summary>
/// The types and members of PatchGen.Runtime and of the core library that instrumented code uses, as
/// references owned by the module being rewritten. They are built by name and never imported through
/// reflection: importing would bind System types to the core library this tool runs on
/// (System.Private.CoreLib), not to the one the module references (System.Runtime, netstandard, ...).
/// </summary>
internal sealed class RuntimeReferences
{
    public RuntimeReferences(ModuleDefinition module)
    {
        var corlib = module.TypeSystem.CoreLibrary;
        SystemType = new TypeReference("System", "Type", module, corlib, valueType: false);
        RuntimeTypeHandle = new TypeReference("System", "RuntimeTypeHandle", module, corlib, valueType: true);
        Delegate = new TypeReference("System", "Delegate", module, corlib, valueType: false);
        MulticastDelegate = new TypeReference("System", "MulticastDelegate", module, corlib, valueType: false);

        var runtime = RuntimeAssemblyReference(module);
        const string ns = "PatchGen.Runtime.Instrumentation";
        PatchSite = new TypeReference(ns, nameof(Runtime.Instrumentation.PatchSite), module, runtime, valueType: false);
        ThreadPatchState = new TypeReference(ns, nameof(Runtime.Instrumentation.ThreadPatchState), module, runtime, valueType: false);
        var patchSites = new TypeReference(ns, nameof(PatchSites), module, runtime, valueType: false);
        var siteAttribute = new TypeReference("PatchGen.Runtime", nameof(PatchSiteAttribute), module, runtime, valueType: false);
        var assemblyAttribute = new TypeReference("PatchGen.Runtime", nameof(PatchableAssemblyAttribute), module, runtime, valueType: false);

        var types = module.TypeSystem;
        Enter = Method(ThreadPatchState, nameof(Runtime.Instrumentation.ThreadPatchState.Enter), ThreadPatchState, hasThis: false, types.Int32);
        Exit = Method(ThreadPatchState, nameof(Runtime.Instrumentation.ThreadPatchState.Exit), types.Void, hasThis: true);
        Resolve = Method(PatchSite, nameof(Runtime.Instrumentation.PatchSite.Resolve), Delegate, hasThis: true, ThreadPatchState);
        ResolveGeneric = Method(PatchSite, nameof(Runtime.Instrumentation.PatchSite.ResolveGeneric), Delegate, hasThis: true, ThreadPatchState, RuntimeTypeHandle);
        RegisterAssembly = Method(patchSites, nameof(PatchSites.RegisterAssembly), types.Int32, hasThis: false, RuntimeTypeHandle, types.Int32);
        PatchSiteAttributeConstructor = Method(siteAttribute, ".ctor", types.Void, hasThis: true, types.Int32, SystemType);
        PatchableAssemblyAttributeConstructor = Method(assemblyAttribute, ".ctor", types.Void, hasThis: true, types.Int32, types.String, types.Int32);
    }

    public TypeReference SystemType { get; }
    public TypeReference RuntimeTypeHandle { get; }
    public TypeReference Delegate { get; }
    public TypeReference MulticastDelegate { get; }
    public TypeReference PatchSite { get; }
    public TypeReference ThreadPatchState { get; }
    public MethodReference Enter { get; }
    public MethodReference Exit { get; }
    public MethodReference Resolve { get; }
    public MethodReference ResolveGeneric { get; }
    public MethodReference RegisterAssembly { get; }
    public MethodReference PatchSiteAttributeConstructor { get; }
    public MethodReference PatchableAssemblyAttributeConstructor { get; }

    /// <summary>The PatchGen.Runtime assembly this tool ships with: its identity is what the output binds to.</summary>
    public static System.Reflection.Assembly RuntimeAssembly => typeof(PatchSite).Assembly;

    private static AssemblyNameReference RuntimeAssemblyReference(ModuleDefinition module)
    {
        var name = RuntimeAssembly.GetName();
        var existing = module.AssemblyReferences.FirstOrDefault(r => r.Name == name.Name);
        if (existing != null)
        {
            existing.Version = name.Version;
            return existing;
        }
        var reference = new AssemblyNameReference(name.Name, name.Version)
        {
            PublicKeyToken = name.GetPublicKeyToken() ?? Array.Empty<byte>(),
            Culture = "",
        };
        module.AssemblyReferences.Add(reference);
        return reference;
    }

    private static MethodReference Method(TypeReference declaringType, string name, TypeReference returnType, bool hasThis, params TypeReference[] parameters)
    {
        var method = new MethodReference(name, returnType, declaringType) { HasThis = hasThis };
        foreach (var parameter in parameters)
            method.Parameters.Add(new ParameterDefinition(parameter));
        return method;
    }
}
