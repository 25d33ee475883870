namespace PatchGen.Instrumentation.Tests;

/// <summary>The longer golden listings of <see cref="GoldenIlTests"/>.</summary>
internal static class GoldenExpectations
{
    /// <summary>A struct method: <c>this</c> is passed on as a managed pointer, erased to <c>ref byte</c>.</summary>
    public const string CounterAddTwice = """
IL_0000: ldsfld PatchGen.Runtime.Instrumentation.PatchSite <PatchGen>Sites::s19
IL_0005: brtrue.s IL_0022
IL_0007: ldarg.0
IL_0008: call System.Void Lib.Counter::Increment()
IL_000d: ldarg.0
IL_000e: ldarg.0
IL_000f: ldfld System.Int32 Lib.Counter::Value
IL_0014: ldarg.1
IL_0015: add
IL_0016: stfld System.Int32 Lib.Counter::Value
IL_001b: ldarg.0
IL_001c: ldfld System.Int32 Lib.Counter::Value
IL_0021: ret
IL_0022: ldc.i4.s 19
IL_0024: ldarg.0
IL_0025: ldarg.1
IL_0026: call System.Int32 <PatchGen>Sites::d15(System.Int32,System.Byte&,System.Int32)
IL_002b: ret
""";

    /// <summary>
    /// <c>Box&lt;T&gt;.Describe&lt;U&gt;</c>: the stub is instantiated over the type's parameter, then the
    /// method's; <c>this</c> (a class) and the string result are erased to <c>object</c>, <c>U</c> stays.
    /// </summary>
    public const string BoxDescribe = """
.locals (T, U)
IL_0000: ldsfld PatchGen.Runtime.Instrumentation.PatchSite <PatchGen>Sites::s35
IL_0005: brtrue.s IL_004b
IL_0007: ldarg.0
IL_0008: ldfld T Lib.Box`1<T>::Value
IL_000d: stloc.0
IL_000e: ldloc.0
IL_000f: box T
IL_0014: brtrue.s IL_0019
IL_0016: ldnull
IL_0017: br.s IL_0026
IL_0019: ldloca.s V_0
IL_001b: constrained. T
IL_0021: callvirt System.String System.Object::ToString()
IL_0026: ldstr "/"
IL_002b: ldarg.1
IL_002c: stloc.1
IL_002d: ldloc.1
IL_002e: box U
IL_0033: brtrue.s IL_0038
IL_0035: ldnull
IL_0036: br.s IL_0045
IL_0038: ldloca.s V_1
IL_003a: constrained. U
IL_0040: callvirt System.String System.Object::ToString()
IL_0045: call System.String System.String::Concat(System.String,System.String,System.String)
IL_004a: ret
IL_004b: ldc.i4.s 35
IL_004d: ldarg.0
IL_004e: ldarg.1
IL_004f: call System.Object <PatchGen>Sites::d28<T,U>(System.Int32,System.Object,U)
IL_0054: ret
""";

    public const string GenericStubName = "d28";

    /// <summary>The generic stub <c>Box&lt;T&gt;.Describe&lt;U&gt;</c> calls.</summary>
    public const string GenericStub = """
noinlining
.locals (System.IntPtr)
IL_0000: ldsfld PatchGen.Runtime.Instrumentation.PatchSite[] <PatchGen>Sites::Table
IL_0005: ldarg.0
IL_0006: ldelem.ref
IL_0007: ldtoken System.Object <PatchGen>Sites::d28<T,U>(System.Int32,System.Object,U)
IL_000c: call System.IntPtr PatchGen.Runtime.Instrumentation.PatchSite::TargetGeneric(PatchGen.Runtime.Instrumentation.PatchSite,System.RuntimeMethodHandle)
IL_0011: stloc.0
IL_0012: ldarg.1
IL_0013: ldarg.2
IL_0014: ldloc.0
IL_0015: calli System.Object(System.Object,U)
IL_001a: ret
""";
}
