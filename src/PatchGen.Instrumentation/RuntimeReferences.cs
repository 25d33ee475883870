using Mono.Cecil;
using PatchGen.Diagnostics;
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
        RuntimeMethodHandle = new TypeReference("System", "RuntimeMethodHandle", module, corlib, valueType: true);

        var runtime = RuntimeAssemblyReference(module);
        PatchSite = new TypeReference(typeof(Runtime.Instrumentation.PatchSite).Namespace, nameof(Runtime.Instrumentation.PatchSite), module, runtime, valueType: false);
        var assemblyAttribute = new TypeReference(RuntimeNames.Namespace, RuntimeNames.PatchableAssemblyAttributeName, module, runtime, valueType: false);

        var types = module.TypeSystem;
        Target = Method(PatchSite, nameof(Runtime.Instrumentation.PatchSite.Target), types.IntPtr, hasThis: false, PatchSite);
        Steady = Method(PatchSite, nameof(Runtime.Instrumentation.PatchSite.Steady), types.IntPtr, hasThis: false, PatchSite);
        TargetGeneric = Method(PatchSite, nameof(Runtime.Instrumentation.PatchSite.TargetGeneric), types.IntPtr, hasThis: false, PatchSite, RuntimeMethodHandle);
        PatchableAssemblyAttributeConstructor = Method(assemblyAttribute, ".ctor", types.Void, hasThis: true, types.Int32, types.String, types.Int32);
        var patchSites = new TypeReference(typeof(PatchSites).Namespace, nameof(PatchSites), module, runtime, valueType: false);
        Observe = Method(patchSites, nameof(PatchSites.Observe), types.Void, hasThis: false);
    }

    public TypeReference RuntimeMethodHandle { get; }
    public TypeReference PatchSite { get; }

    /// <summary><c>static nint PatchSite.Target(PatchSite)</c>: the code a non-generic site runs for the calling thread.</summary>
    public MethodReference Target { get; }

    /// <summary><c>static nint PatchSite.Steady(PatchSite)</c>: the code of a non-generic site's steady state, zero while a transition changes it.</summary>
    public MethodReference Steady { get; }

    /// <summary><c>static nint PatchSite.TargetGeneric(PatchSite, RuntimeMethodHandle)</c>: the same for one instantiation of a generic site.</summary>
    public MethodReference TargetGeneric { get; }

    public MethodReference PatchableAssemblyAttributeConstructor { get; }

    /// <summary><c>static void PatchSites.Observe()</c>: called by the module initializer.</summary>
    public MethodReference Observe { get; }

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
