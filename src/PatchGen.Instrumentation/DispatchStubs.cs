using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>
/// The dispatch stubs of <c>&lt;PatchGen&gt;Sites</c>, one per <see cref="StubSignature"/>, numbered in the
/// order methods first need them (so the output does not depend on hashing). A stub runs only once its
/// site is patched; it asks the runtime which code the calling thread must run for that site and calls
/// it with <c>calli</c>:
/// <code>
/// static R' d&lt;k&gt;&lt;G...&gt;(int32 site, P1' a1, ..., Pn' an)   // aggressiveinlining
///     ldsfld   PatchSite[] &lt;PatchGen&gt;Sites::Table
///     ldarg.0
///     ldelem.ref
///     call     native int PatchSite::Target(PatchSite)
///         // generic: ldtoken method d&lt;k&gt;&lt;!!0..&gt;; call native int PatchSite::TargetGeneric(PatchSite, RuntimeMethodHandle)
///     stloc.0
///     ldarg.1 ... ldarg.n
///     ldloc.0
///     calli    R'(P1', ..., Pn')
///     ret
/// </code>
/// The stub is marked <c>AggressiveInlining</c>: the JIT copies it into the method's dispatch block (a block that
/// runs only while the method is patched), so a patched call makes one call less: ~1.5–2 ns of the ~3.5 ns a patch
/// added per call (docs/benchmarks.md, "Per call"). What it costs an unpatched method is the copy's code in a block
/// that does not run, not its IL: the JIT weighs a method for inlining into its callers by its own IL. The copy
/// changes nothing the consistency model reads: a thread in it is in a frame of the patched method (or of the method
/// its check was inlined into), which every check already counts as inside the method, as it counted the stub's
/// frame as entering it; and where the JIT does not inline (tier 0), the stub's frame is there as before
/// (docs/consistency-model.md, "Switching").
/// </summary>
internal sealed class DispatchStubs
{
    private readonly ModuleDefinition _module;
    private readonly SiteTable _table;
    private readonly RuntimeReferences _references;
    private readonly MethodImplAttributes _inlining;
    private readonly Dictionary<string, MethodDefinition> _byKey = new(StringComparer.Ordinal);

    public DispatchStubs(ModuleDefinition module, SiteTable table, RuntimeReferences references, bool inline)
    {
        _module = module;
        _table = table;
        _references = references;
        _inlining = inline ? MethodImplAttributes.AggressiveInlining : MethodImplAttributes.NoInlining;
    }

    public int Count => _byKey.Count;

    /// <summary>The stub <paramref name="method"/> calls, as seen from inside it (instantiated over its own generic context).</summary>
    public MethodReference For(MethodDefinition method)
    {
        var signature = StubSignature.Of(method, _module);
        if (!_byKey.TryGetValue(signature.Key, out var stub))
        {
            stub = Create(_byKey.Count, signature);
            _byKey.Add(signature.Key, stub);
        }
        if (signature.Arity == 0)
            return stub;
        var instance = new GenericInstanceMethod(stub);
        foreach (var parameter in signature.Sources)
            instance.GenericArguments.Add(parameter);
        return instance;
    }

    private MethodDefinition Create(int number, StubSignature signature)
    {
        var stub = new MethodDefinition(PatchSiteFormat.StubPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, _module.TypeSystem.Void)
        {
            ImplAttributes = MethodImplAttributes.IL | MethodImplAttributes.Managed | _inlining,
        };
        _table.Type.Methods.Add(stub);

        // Every parameter first, then constraints: a constraint may name a later parameter (where T : IComparer<U>).
        var parameters = new List<TypeReference>();
        foreach (var source in signature.Sources)
        {
            // Variance is dropped: only interfaces and delegates have it, and a covariant parameter may appear as an input here.
            var parameter = new GenericParameter(source.Name, stub) { Attributes = source.Attributes & ~GenericParameterAttributes.VarianceMask };
            stub.GenericParameters.Add(parameter);
            parameters.Add(parameter);
        }
        var remapper = new GenericRemapper(signature.TypeArity, parameters);
        for (int i = 0; i < signature.Sources.Count; i++)
        {
            foreach (var constraint in signature.Sources[i].Constraints)
                stub.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(remapper.Remap(constraint.ConstraintType)));
        }

        stub.ReturnType = remapper.Remap(signature.Return);
        stub.Parameters.Add(new ParameterDefinition("site", ParameterAttributes.None, _module.TypeSystem.Int32));
        var call = new CallSite(stub.ReturnType) { HasThis = false, CallingConvention = MethodCallingConvention.Default };
        for (int i = 0; i < signature.Parameters.Count; i++)
        {
            var type = remapper.Remap(signature.Parameters[i]);
            stub.Parameters.Add(new ParameterDefinition("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ParameterAttributes.None, type));
            call.Parameters.Add(new ParameterDefinition(type));
        }

        var body = stub.Body;
        var target = new VariableDefinition(_module.TypeSystem.IntPtr);
        body.Variables.Add(target);
        var il = body.GetILProcessor();
        il.Emit(OpCodes.Ldsfld, _table.Table);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldelem_Ref);
        if (signature.Arity == 0)
        {
            il.Emit(OpCodes.Call, _references.Target);
        }
        else
        {
            // The stub's own instantiation identifies the instantiation of the site being called.
            var self = new GenericInstanceMethod(stub);
            foreach (var parameter in stub.GenericParameters)
                self.GenericArguments.Add(parameter);
            il.Emit(OpCodes.Ldtoken, self);
            il.Emit(OpCodes.Call, _references.TargetGeneric);
        }
        il.Emit(OpCodes.Stloc, target);
        for (int i = 1; i < stub.Parameters.Count; i++)
            il.Emit(OpCodes.Ldarg, stub.Parameters[i]);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Calli, call);
        il.Emit(OpCodes.Ret);
        body.OptimizeMacros();
        return stub;
    }
}
