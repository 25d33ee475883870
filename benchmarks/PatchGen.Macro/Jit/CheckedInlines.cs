using System.Globalization;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Cecil.Methods;

namespace PatchGen.Macro.Jit;

/// <summary>
/// Which inlined copies of library methods still carry a slot check in the instrumented build, and why their method
/// has no inline clone (docs/patch-sites.md, "Inline clones"): the JIT's successful inlines of the instrumented process
/// whose callee is a library method with a site, by the rule that left it without a clone. An inlined clone carries no
/// check; a cloned method inlined under its own name is reached from a method without a site or through its slot.
/// Counts (caller, callee) pairs as the JIT reported them, not how often they run: read it to find which class to
/// measure, next to the timing figures.
/// </summary>
internal static class CheckedInlines
{
    private const int ListedCallees = 8;

    public static void Report(TextWriter output, string library, string prefix, List<InlineDecision> instrumented, string instrumentedDll)
    {
        using var module = ModuleDefinition.ReadModule(instrumentedDll);
        var byName = module.GetTypes().Where(t => !t.Name.StartsWith("<PatchGen>", StringComparison.Ordinal))
            .SelectMany(t => t.Methods.Select(m => (Key: EventName(t) + "::" + m.Name, Method: m)))
            .GroupBy(e => e.Key, e => e.Method)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var pairs = instrumented.Where(d => d.Succeeded && d.Inlinee.StartsWith(prefix, StringComparison.Ordinal))
            .Select(d => (Inliner: IlSizes.WithoutInstantiation(d.Inliner), Inlinee: IlSizes.WithoutInstantiation(d.Inlinee)))
            .Distinct()
            .ToList();
        var classified = new List<(string Class, string Inlinee)>();
        foreach (var (_, inlinee) in pairs)
        {
            if (!byName.TryGetValue(inlinee, out var methods))
                continue;
            int separator = inlinee.IndexOf("::", StringComparison.Ordinal);
            bool hasNamedClone = byName.ContainsKey(inlinee[..(separator + 2)] + PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + inlinee[(separator + 2)..]);
            classified.Add((Classify(methods, hasNamedClone), inlinee));
        }

        output.WriteLine();
        output.WriteLine($"#### Inlined copies with and without a check: {library} (instrumented build, EventPipe JitTracing)");
        output.WriteLine();
        output.WriteLine("| inlined callee | pairs | callees | most inlined |");
        output.WriteLine("|---|---:|---:|---|");
        foreach (var g in classified.GroupBy(c => c.Class).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var top = g.GroupBy(c => c.Inlinee).OrderByDescending(c => c.Count()).ThenBy(c => c.Key, StringComparer.Ordinal).Take(ListedCallees)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"`{Short(c.Key)}` {c.Count()}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.Count()} | {g.Select(c => c.Inlinee).Distinct().Count()} | {string.Join(", ", top)} |"));
        }
    }

    /// <summary>
    /// The class of an inlined callee, from the methods of its name (overloads share it: the events carry no token).
    /// A constructor name that includes a clone counts as a clone (the clone is a <c>.ctor</c> too, and the direct
    /// calls of methods with a site name it).
    /// </summary>
    private static string Classify(List<MethodDefinition> methods, bool hasNamedClone)
    {
        if (methods.Any(InlineClone.Is))
            return "clone (no check)";
        if (hasNamedClone)
            return "**checked**: cloned, inlined under its own name (a caller without a site or outside the library)";
        var sited = methods.Where(HasSite).ToList();
        if (sited.Count == 0)
            return "no site (auto-property accessor, static constructor, ...)";
        var m = sited[0];
        if (m.IsVirtual && !m.IsFinal)
            return "**checked**: virtual, not final (inlined after devirtualization)";
        if (m.IsVirtual && m.HasOverrides)
            return "**checked**: explicit interface implementation";
        if (OriginalCodeSize(m) > PatchGen.Instrumentation.SiteEligibility.InlineCloneDefaultSize)
            return "**checked**: over 128 bytes of IL";
        if (m.Body.HasExceptionHandlers)
            return "**checked**: exception handlers";
        if ((m.ImplAttributes & (MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization)) != 0)
            return "**checked**: NoInlining/NoOptimization";
        return m.IsVirtual ? "**checked**: final, no clone (not named by a direct call, or a rule without final methods)" : "**checked**: no clone (not called directly by a method with a site)";
    }

    private static bool HasSite(MethodDefinition m)
        => m.HasBody && m.Body.Instructions.Count > 1 && m.Body.Instructions[0].OpCode.Code == Code.Ldsfld
            && m.Body.Instructions[0].Operand is FieldReference { DeclaringType.Name: PatchGen.Diagnostics.PatchSiteFormat.SitesTypeName };

    /// <summary>The original body's size: the instructions between the site's check and its dispatch block.</summary>
    private static int OriginalCodeSize(MethodDefinition m)
    {
        var code = m.Body.Instructions;
        return code[1].Operand is Instruction dispatch ? dispatch.Offset - code[2].Offset : m.Body.CodeSize;
    }

    /// <summary>A type's name as the runtime's events spell it: <c>Namespace.Outer+Inner</c>.</summary>
    private static string EventName(TypeDefinition type)
        => type.DeclaringType is { } outer ? EventName(outer) + "+" + type.Name : type.Namespace.Length == 0 ? type.Name : type.Namespace + "." + type.Name;

    private static string Short(string name)
    {
        int separator = name.IndexOf("::", StringComparison.Ordinal);
        int dot = name.LastIndexOf('.', separator < 0 ? name.Length - 1 : separator);
        return dot < 0 ? name : name[(dot + 1)..];
    }
}
