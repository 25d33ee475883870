using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Diagnostics;

namespace PatchGen.Instrumentation;

/// <summary>
/// The dispatch stubs of <c>&lt;PatchGen&gt;Sites</c>, one per <see cref="StubSignature"/>, numbered in the
/// order methods first need them (so the output does not depend on hashing). A stub runs only once its
/// site is patched; it asks the runtime which code the calling thread must run for that site and calls
/// it with <c>calli</c>; the JIT keeps it out of line:
/// <code>
/// static R' d&lt;k&gt;&lt;G...&gt;(int32 site, P1' a1, ..., Pn' an)   // noinlining
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
/// With <see cref="InstrumentOptions.InlineSteadyStubs"/> (off by default), a non-generic signature has a steady
/// stub besides, which the methods call and the JIT inlines, and the full stub above is named <c>d&lt;k&gt;t</c>:
/// <code>
/// static R' d&lt;k&gt;(int32 site, P1' a1, ..., Pn' an)    // aggressiveinlining
///     ldsfld   PatchSite[] &lt;PatchGen&gt;Sites::Table
///     ldarg.0
///     ldelem.ref
///     call     native int PatchSite::Steady(PatchSite)
///     stloc.0
///     ldloc.0
///     brfalse  TRANSITION
///     ldarg.1 ... ldarg.n
///     ldloc.0
///     calli    R'(P1', ..., Pn')
///     ret
/// TRANSITION:
///     ldarg.0 ... ldarg.n
///     call     R' d&lt;k&gt;t(int32, P1', ..., Pn')
///     ret
/// </code>
/// It makes no call in its middle, so no argument lives across one (the full stub inlined would have had the JIT
/// save callee-saved registers in the prolog of every instrumented method, patched or not). Why it is not the
/// default, and what it changes for the consistency model (nothing): docs/patch-sites.md, "Steady stubs".
/// </summary>
internal sealed class DispatchStubs
{
    private readonly ModuleDefinition _module;
    private readonly SiteTable _table;
    private readonly RuntimeReferences _references;
    private readonly bool _inlineSteadyStubs;
    private readonly bool _tailCalls;
    private readonly Dictionary<string, MethodDefinition> _byKey = new(StringComparer.Ordinal);

    /// <param name="inlineSteadyStubs">Write a steady stub for each non-generic signature besides its full one (<see cref="InstrumentOptions.InlineSteadyStubs"/>).</param>
    /// <param name="tailCalls">A full stub whose arguments all travel in registers jumps to the version (<see cref="InstrumentOptions.TailCallStubs"/>).</param>
    public DispatchStubs(ModuleDefinition module, SiteTable table, RuntimeReferences references, bool inlineSteadyStubs, bool tailCalls)
    {
        _tailCalls = tailCalls;
        _module = module;
        _table = table;
        _references = references;
        _inlineSteadyStubs = inlineSteadyStubs;
    }

    /// <summary>The stub methods written: one per generic signature, two per non-generic one (steady and full).</summary>
    public int Count { get; private set; }

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
        string name = PatchSiteFormat.StubPrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (signature.Arity > 0 || !_inlineSteadyStubs)
            return CreateFull(name, signature);
        var full = CreateFull(name + PatchSiteFormat.TransitionStubSuffix, signature);
        return CreateSteady(name, signature, full);
    }

    /// <summary>The stub that asks the runtime for the calling thread's code and calls it (the only one of a generic signature).</summary>
    private MethodDefinition CreateFull(string name, StubSignature signature)
    {
        var (stub, call) = Declare(name, signature, MethodImplAttributes.NoInlining);
        var body = stub.Body;
        var target = new VariableDefinition(_module.TypeSystem.IntPtr);
        body.Variables.Add(target);
        var il = body.GetILProcessor();
        EmitSiteOfArgument0(il);
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
        EmitCallOfTarget(il, stub, target, call, tail: _tailCalls && InRegisters(stub));
        body.OptimizeMacros();
        return stub;
    }

    /// <summary>
    /// Whether every argument of the stub and its return value travel in registers on x64 (at most six integer and
    /// eight floating-point arguments, no structs): then the JIT makes <c>tail. calli</c> a plain jump. Where it
    /// could not, an explicit tail call goes through the runtime's tail-call helpers, which cost far more than the
    /// call saved, so such a stub calls as before. (On arm64, eight and eight: the x64 bound holds there too.)
    /// </summary>
    private static bool InRegisters(MethodDefinition stub)
    {
        int integers = 0, floats = 0;
        foreach (var parameter in stub.Parameters)
        {
            switch (RegisterClass(parameter.ParameterType))
            {
                case 'i':
                    integers++;
                    break;
                case 'f':
                    floats++;
                    break;
                default:
                    return false;
            }
        }
        return integers <= 6 && floats <= 8 && (stub.ReturnType.MetadataType == MetadataType.Void || RegisterClass(stub.ReturnType) != 'x');
    }

    // 'i' integer register, 'f' floating-point register, 'x' anything else (a struct, a type parameter, a typed reference).
    private static char RegisterClass(TypeReference type) => type.MetadataType switch
    {
        MetadataType.Single or MetadataType.Double => 'f',
        MetadataType.Boolean or MetadataType.Char or MetadataType.SByte or MetadataType.Byte or MetadataType.Int16 or MetadataType.UInt16
            or MetadataType.Int32 or MetadataType.UInt32 or MetadataType.Int64 or MetadataType.UInt64 or MetadataType.IntPtr or MetadataType.UIntPtr
            or MetadataType.String or MetadataType.Object or MetadataType.Class or MetadataType.Array
            or MetadataType.Pointer or MetadataType.ByReference or MetadataType.FunctionPointer => 'i',
        MetadataType.GenericInstance when !type.IsValueType => 'i',
        _ => 'x',
    };

    /// <summary>The stub the JIT inlines: the steady state's code called at once, anything else left to <paramref name="full"/>.</summary>
    private MethodDefinition CreateSteady(string name, StubSignature signature, MethodDefinition full)
    {
        var (stub, call) = Declare(name, signature, MethodImplAttributes.AggressiveInlining);
        var body = stub.Body;
        var target = new VariableDefinition(_module.TypeSystem.IntPtr);
        body.Variables.Add(target);
        var il = body.GetILProcessor();
        var transition = il.Create(OpCodes.Ldarg_0);
        EmitSiteOfArgument0(il);
        il.Emit(OpCodes.Call, _references.Steady);
        il.Emit(OpCodes.Stloc, target);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Brfalse, transition);
        EmitCallOfTarget(il, stub, target, call, tail: false);
        il.Append(transition);
        for (int i = 1; i < stub.Parameters.Count; i++)
            il.Emit(OpCodes.Ldarg, stub.Parameters[i]);
        il.Emit(OpCodes.Call, full);
        il.Emit(OpCodes.Ret);
        body.OptimizeMacros();
        return stub;
    }

    /// <summary><c>Table[site]</c>: the runtime's object of the site whose number is the stub's first argument.</summary>
    private void EmitSiteOfArgument0(ILProcessor il)
    {
        il.Emit(OpCodes.Ldsfld, _table.Table);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldelem_Ref);
    }

    /// <summary>
    /// Calls the code in <paramref name="target"/> with the stub's arguments but the site number, and returns what it
    /// returns; with <paramref name="tail"/>, jumps to it.
    /// </summary>
    private static void EmitCallOfTarget(ILProcessor il, MethodDefinition stub, VariableDefinition target, CallSite call, bool tail)
    {
        for (int i = 1; i < stub.Parameters.Count; i++)
            il.Emit(OpCodes.Ldarg, stub.Parameters[i]);
        il.Emit(OpCodes.Ldloc, target);
        if (tail)
            il.Emit(OpCodes.Tail);
        il.Emit(OpCodes.Calli, call);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>A stub's declaration (generic parameters, site number and erased parameters) and the <c>calli</c> signature it calls through.</summary>
    private (MethodDefinition Stub, CallSite Call) Declare(string name, StubSignature signature, MethodImplAttributes inlining)
    {
        var stub = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, _module.TypeSystem.Void)
        {
            ImplAttributes = MethodImplAttributes.IL | MethodImplAttributes.Managed | inlining,
        };
        _table.Type.Methods.Add(stub);
        Count++;

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
        // Unnamed parameters take no Param rows (Cecil writes one only for a name, flags, a default or attributes): about
        // 8 bytes each, 2,257 of them in Newtonsoft.Json's 636 stubs. Nothing reads a stub's parameter names.
        stub.Parameters.Add(new ParameterDefinition(_module.TypeSystem.Int32));
        var call = new CallSite(stub.ReturnType) { HasThis = false, CallingConvention = MethodCallingConvention.Default };
        for (int i = 0; i < signature.Parameters.Count; i++)
        {
            var type = remapper.Remap(signature.Parameters[i]);
            stub.Parameters.Add(new ParameterDefinition(type));
            call.Parameters.Add(new ParameterDefinition(type));
        }
        return (stub, call);
    }
}
