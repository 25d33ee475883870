using System.Globalization;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Macro.Clones;

/// <summary>
/// <c>clone-fanin &lt;dll&gt; [baseline dll]</c> (benchmark-only, docs/benchmarks.md "Inline clones"): for an assembly instrumented with
/// inline clones, how many functions a patch of one cloned method C would have to replace to stay consistent: C itself
/// and every method with a site that reaches a clone of C through direct calls, through clones calling clones
/// (every inlined copy of C' lives in one of them).
/// </summary>
internal static class CloneFanIn
{
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        var sizes = Sizes(args[0]);
        var ordered = sizes.Select(s => s.Functions).Order().ToList();
        int Percentile(double p) => ordered[(int)Math.Min(ordered.Count - 1, Math.Floor(p * ordered.Count))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(args[0])}: {sizes.Count} clones; functions a patch of one cloned method must replace: median {Percentile(0.5)}, p90 {Percentile(0.9)}, p99 {Percentile(0.99)}, max {ordered[^1]}; {sizes.Count(s => s.Functions > 10)} clones need more than 10, {sizes.Count(s => s.Functions > 100)} more than 100"));
        foreach (var (clone, functions) in sizes.OrderByDescending(s => s.Functions).Take(8))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {functions,5}  {clone}"));
        if (args.Count > 1)
        {
            // Against another build of the same library (`clone-fanin <dll> <baseline dll>`): which patches grew.
            var before = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (clone, functions) in Sizes(args[1]))
                before.TryAdd(clone, functions);
            var grown = sizes.Select(s => (s.Clone, s.Functions, Before: before.GetValueOrDefault(s.Clone, 1))).Where(s => s.Functions > s.Before).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"against {Path.GetFileName(args[1])}: {grown.Count} of {sizes.Count} clones' patches grew, by {grown.Sum(g => g.Functions - g.Before)} functions in all; most:"));
            foreach (var (clone, functions, was) in grown.OrderByDescending(g => g.Functions - g.Before).Take(8))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {was,5} -> {functions,5}  {clone}"));
        }
        return 0;
    }

    /// <summary>For each clone of the build (named by its original: type, name, parameters), the functions a patch of it must replace.</summary>
    private static List<(string Clone, int Functions)> Sizes(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        var methods = module.GetTypes().Where(t => !t.Name.StartsWith("<PatchGen>", StringComparison.Ordinal)).SelectMany(t => t.Methods).ToList();
        static bool IsClone(MethodDefinition m) => PatchGen.Cecil.Methods.InlineClone.Is(m);
        // callers[m]: the methods whose bodies call m directly.
        var callers = new Dictionary<MethodDefinition, HashSet<MethodDefinition>>();
        foreach (var method in methods.Where(m => m.HasBody))
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && instruction.Operand is MethodReference r
                    && r.DeclaringType.GetElementType() is TypeDefinition { Module: var owner } && owner == module && r.Resolve() is { } target && IsClone(target))
                {
                    if (!callers.TryGetValue(target, out var set))
                        callers[target] = set = [];
                    set.Add(method);
                }
            }
        }
        var sizes = new List<(string Clone, int Functions)>();
        foreach (var clone in methods.Where(IsClone))
        {
            var seen = new HashSet<MethodDefinition> { clone };
            var queue = new Queue<MethodDefinition>([clone]);
            int functions = 1; // C itself
            while (queue.Count > 0)
            {
                foreach (var caller in callers.GetValueOrDefault(queue.Dequeue()) ?? [])
                {
                    if (!seen.Add(caller))
                        continue;
                    if (IsClone(caller))
                        queue.Enqueue(caller);
                    else
                        functions++;
                }
            }
            string parameters = string.Join(",", clone.Parameters.Select(p => p.ParameterType.FullName));
            sizes.Add(($"{clone.DeclaringType.FullName}::{PatchGen.Cecil.Methods.InlineClone.OriginalName(clone.Name)}({parameters}) ({clone.Body.CodeSize} bytes IL)", functions));
        }
        return sizes;
    }
}
