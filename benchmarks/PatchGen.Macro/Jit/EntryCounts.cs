using System.Globalization;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Jit;

/// <summary>
/// <c>entry-counts &lt;newtonsoft|markdig&gt; [ops]</c> (benchmark-only, docs/benchmarks.md "Checks left in inlined copies"):
/// how often each method of the plain library is entered per operation of the workload, the JIT's inlining aside:
/// a copy of the plain DLL whose every body starts by counting its own entries into a static array, loaded into a
/// context of its own and run for the given number of operations after one warm-up operation. What an instrumented
/// build runs once per entry of a method with a site that is not inlined, or inlined with its check, is the slot check;
/// the counts say how many such entries an operation can have, by the method's original IL size and call kind.
/// </summary>
internal static class EntryCounts
{
    private const string CounterType = "<EntryCounts>";

    private const string CounterField = "Entries";

    public static int Run(IReadOnlyList<string> args, string workDirectory, TextWriter output)
    {
        var library = args[0];
        int operations = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var (source, fileName) = library switch
        {
            NewtonsoftJsonWorkload.Name => (HarnessPaths.NewtonsoftJsonDll, NewtonsoftJsonWorkload.DllName),
            MarkdigWorkload.Name => (HarnessPaths.MarkdigDll, MarkdigWorkload.DllName),
            _ => throw new ArgumentException("unknown library " + library),
        };
        var directory = Path.Combine(workDirectory, "entry-counts", library);
        Directory.CreateDirectory(directory);
        var methods = WriteCountingCopy(source, Path.Combine(directory, fileName));

        var assembly = new VariantLoadContext("entry-counts", directory).LoadMain(fileName);
        var entries = new long[methods.Count];
        // Before the library runs anything: every body it has reads the array.
        assembly.GetType(CounterType, throwOnError: true)!.GetField(CounterField)!.SetValue(null, entries);
        var operation = library == MarkdigWorkload.Name ? MarkdigWorkload.Operation(assembly) : NewtonsoftJsonWorkload.Operation(assembly);
        operation();
        Array.Clear(entries);
        for (int i = 0; i < operations; i++)
            operation();

        var rows = methods.Select((m, i) => (Method: m, PerOperation: entries[i] / (double)operations)).Where(r => r.PerOperation > 0).ToList();
        double Sum(Func<CountedMethod, bool> which) => rows.Where(r => which(r.Method)).Sum(r => r.PerOperation);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{library}: method entries per operation ({operations} operations), plain build, inlining aside"));
        output.WriteLine();
        output.WriteLine("| original IL bytes | all | non-virtual | final | virtual |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (label, low, high) in new[] { ("1–16", 1, 16), ("17–128", 17, 128), ("129–192", 129, 192), ("193–1,024", 193, 1024), ("1,025+", 1025, int.MaxValue) })
        {
            bool InRange(CountedMethod m) => m.IlBytes >= low && m.IlBytes <= high;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {Sum(InRange):N0} | {Sum(m => InRange(m) && m.Kind == CallKind.NonVirtual):N0} | {Sum(m => InRange(m) && m.Kind == CallKind.Final):N0} | {Sum(m => InRange(m) && m.Kind == CallKind.Virtual):N0} |"));
        }
        output.WriteLine();
        output.WriteLine("Most entered methods over 128 bytes of IL (entries per operation, IL bytes, call kind, methods calling it directly, outlined):");
        foreach (var row in rows.Where(r => r.Method.IlBytes > 128).OrderByDescending(r => r.PerOperation).Take(40))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.PerOperation,8:N0} {row.Method.IlBytes,6} {row.Method.Kind,-10} {row.Method.DirectCallers,4} {(row.Method.Outlined ? "o" : " ")} {row.Method.Name}"));
        // What a rule "retarget the direct calls of an outlined method when at most K methods call it directly" would
        // reach: the entries of the outlined methods under it (their direct callers' checks the calls would skip).
        output.WriteLine();
        output.WriteLine("Entries per operation of outlined methods (non-virtual, non-generic, over 128 bytes) by how many methods call them directly:");
        output.WriteLine("| at most K direct callers | methods entered | entries per operation | their callers in all |");
        output.WriteLine("|---:|---:|---:|---:|");
        var outlined = rows.Where(r => r.Method.Outlined).ToList();
        foreach (int k in new[] { 0, 1, 2, 3, 4, 6, 8, 12, 16, 32, int.MaxValue })
        {
            var under = outlined.Where(r => r.Method.DirectCallers <= k).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(k == int.MaxValue ? "any" : k.ToString(CultureInfo.InvariantCulture))} | {under.Count} | {under.Sum(r => r.PerOperation):N0} | {under.Sum(r => r.Method.DirectCallers)} |"));
        }
        return 0;
    }

    private enum CallKind { NonVirtual, Final, Virtual }

    /// <param name="DirectCallers">How many other methods of the module name it in a <c>call</c>, <c>callvirt</c> or <c>newobj</c>.</param>
    /// <param name="Outlined">Whether the default instrumentation outlines its body (non-virtual, not a constructor, not generic, not in a generic type, over 128 bytes).</param>
    private sealed record CountedMethod(string Name, int IlBytes, CallKind Kind, int DirectCallers, bool Outlined);

    /// <summary>Writes the counting copy; returns its methods in counter order.</summary>
    private static List<CountedMethod> WriteCountingCopy(string source, string destination)
    {
        using var module = ModuleDefinition.ReadModule(source);
        var counters = new TypeDefinition("", CounterType, TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        var field = new FieldDefinition(CounterField, FieldAttributes.Public | FieldAttributes.Static, new ArrayType(module.TypeSystem.Int64));
        counters.Fields.Add(field);
        var methods = new List<CountedMethod>();
        var directCallers = DirectCallers(module);
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToList())
        {
            var kind = !method.IsVirtual ? CallKind.NonVirtual : method.IsFinal ? CallKind.Final : CallKind.Virtual;
            bool outlined = kind == CallKind.NonVirtual && method.Body.CodeSize > 128 && !method.IsConstructor && !method.HasGenericParameters
                && !method.DeclaringType.HasGenericParameters;
            methods.Add(new CountedMethod(method.FullName, method.Body.CodeSize, kind, directCallers.GetValueOrDefault(method)?.Count ?? 0, outlined));
            var body = method.Body;
            body.SimplifyMacros();
            var first = body.Instructions[0];
            var il = body.GetILProcessor();
            // Entries[n]++ (no Interlocked: the workloads run on one thread).
            foreach (var instruction in new[]
            {
                il.Create(OpCodes.Ldsfld, field), il.Create(OpCodes.Ldc_I4, methods.Count - 1), il.Create(OpCodes.Ldelema, module.TypeSystem.Int64),
                il.Create(OpCodes.Dup), il.Create(OpCodes.Ldind_I8), il.Create(OpCodes.Ldc_I4_1), il.Create(OpCodes.Conv_I8), il.Create(OpCodes.Add),
                il.Create(OpCodes.Stind_I8),
            })
                il.InsertBefore(first, instruction);
            body.OptimizeMacros();
        }
        module.Types.Add(counters);
        module.Write(destination);
        return methods;
    }

    /// <summary>For each method of <paramref name="module"/>, the other methods of it whose bodies name it in a direct call.</summary>
    private static Dictionary<MethodDefinition, HashSet<MethodDefinition>> DirectCallers(ModuleDefinition module)
    {
        var callers = new Dictionary<MethodDefinition, HashSet<MethodDefinition>>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && instruction.Operand is MethodReference r
                    && r.DeclaringType.GetElementType() is TypeDefinition { Module: var owner } && owner == module && r.Resolve() is { } target && target != method)
                {
                    if (!callers.TryGetValue(target, out var set))
                        callers[target] = set = [];
                    set.Add(method);
                }
            }
        }
        return callers;
    }
}
