using System.Reflection;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Which test classes may run in parallel (AssemblyInfo.cs): those whose tests each drive an engine of
/// their own and reach nothing of the runtime that is process-wide (docs/consistency-model.md, "One engine
/// per site"). Every other class must be in a collection that runs alone. Checked from the IL, following
/// calls into this assembly's own helpers, lambdas and state machines, so that a parallel class cannot call
/// <c>PatchRuntime</c> through a helper either.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class TestIsolationTests
{
    /// <summary>The runtime's process-wide state, as tests reach it.</summary>
    private static readonly Type[] ProcessWide =
    {
        typeof(PatchRuntime),
        typeof(PatchGen.Runtime.Signing.TrustedKeys),
        typeof(PatchGen.Runtime.Control.ControlEndpoint),
        typeof(PatchGen.Runtime.Control.ControlServer),
        typeof(PatchGen.Runtime.Observation.DiagnosticsIpcClient),
        typeof(ShadowVariables),
    };

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void ClassesThatRunInParallelDriveEnginesOfTheirOwnAndNothingProcessWide()
    {
        var problems = new List<string>();
        var parallel = typeof(TestIsolationTests).Assembly.GetTypes().Where(IsTestClass).Where(t => !RunsAloneIn(t)).ToList();
        foreach (var type in parallel)
        {
            if (!type.GetFields(Declared).Any(f => f.FieldType == typeof(PatchEngine)))
                problems.Add($"{type.Name} runs in parallel but has no engine of its own");
            foreach (var use in ProcessWideUses(type))
                problems.Add($"{type.Name} runs in parallel but uses {use}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The check must see what it checks: the classes converted to engines of their own are among them.
        Assert.Contains(parallel, t => t == typeof(PatchRuntimeTests));
    }

    private static bool IsTestClass(Type type)
        => type.IsClass && !type.IsAbstract && type.GetMethods(Declared).Any(m => m.IsDefined(typeof(FactAttribute), inherit: true));

    /// <summary>In a collection whose definition disables parallelization.</summary>
    private static bool RunsAloneIn(Type type)
    {
        // xUnit's attributes keep the collection's name only in their metadata.
        var name = NameIn<CollectionAttribute>(type);
        return name is not null && type.Assembly.GetTypes().Any(t => NameIn<CollectionDefinitionAttribute>(t) == name
            && t.GetCustomAttribute<CollectionDefinitionAttribute>()!.DisableParallelization);
    }

    private static string? NameIn<TAttribute>(Type type)
        => type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(TAttribute) && a.ConstructorArguments.Count == 1)?.ConstructorArguments[0].Value as string;

    /// <summary>Every member of a <see cref="ProcessWide"/> type that code of <paramref name="type"/> calls, directly or through this assembly's code.</summary>
    private static IEnumerable<string> ProcessWideUses(Type type)
    {
        var uses = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>(MethodsOf(type));
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (!seen.Add(method))
                continue;
            foreach (var callee in Callees(method))
            {
                if (ProcessWide.Contains(callee.DeclaringType))
                    uses.Add($"{callee.DeclaringType!.Name}.{callee.Name} (from {method.DeclaringType?.Name}.{method.Name})");
                else if (callee.Module.Assembly == type.Assembly)
                    pending.Push(callee);
            }
        }
        return uses;
    }

    /// <summary>The methods of a type and of its nested types (lambdas' closures, async state machines).</summary>
    private static IEnumerable<MethodBase> MethodsOf(Type type)
        => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared))
            .Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(MethodsOf));

    /// <summary>What a body calls or makes a delegate of (<c>ldftn</c>, <c>ldvirtftn</c>).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException) { yield break; }
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int offset = 0; offset < il.Length;)
        {
            var (opcode, operandSize, isCall) = IlOpcodes.Read(il, offset);
            if (opcode < 0)
                yield break;
            int operand = offset + (opcode > 0xFF ? 2 : 1);
            if (operandSize == -1)
                operandSize = 4 + 4 * BitConverter.ToInt32(il, operand); // switch: a count, then the targets
            if (isCall || opcode is 0xFE06 or 0xFE07)
            {
                MethodBase? callee = null;
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, operand), typeArguments, methodArguments); }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException) { }
                if (callee is not null)
                    yield return callee;
            }
            offset = operand + operandSize;
        }
    }
}
