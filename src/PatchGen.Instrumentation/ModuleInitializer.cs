using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>
/// The instrumented module's initializer (the static constructor of <c>&lt;Module&gt;</c>, which the
/// runtime runs before any code of the module) starts with <c>call PatchSites::Observe()</c>: the runtime
/// then records what the JIT inlines from before the module's first method is compiled optimized, which
/// a transition needs to be certified (docs/consistency-model.md, "Inlining"). An initializer the
/// module already has (C# <c>[ModuleInitializer]</c>) keeps running after it.
/// </summary>
internal static class ModuleInitializer
{
    public static void CallObserve(ModuleDefinition module, RuntimeReferences references)
    {
        var moduleType = module.Types.First(t => t.Name == "<Module>");
        var initializer = moduleType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic);
        if (initializer is null)
        {
            initializer = new MethodDefinition(".cctor",
                MethodAttributes.Private | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName | MethodAttributes.Static,
                module.TypeSystem.Void);
            initializer.Body.Instructions.Add(Instruction.Create(OpCodes.Ret));
            moduleType.Methods.Add(initializer);
        }
        initializer.Body.Instructions.Insert(0, Instruction.Create(OpCodes.Call, references.Observe));
    }
}
