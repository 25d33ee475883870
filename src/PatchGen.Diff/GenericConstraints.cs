using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>Compares the generic parameters of a type or method: special constraints, variance and constraint types (PG1002).</summary>
internal static class GenericConstraints
{
    public static string? Describe(ClosureRenderer baseRenderer, IGenericParameterProvider b, ClosureRenderer newRenderer, IGenericParameterProvider n)
    {
        if (b.GenericParameters.Count != n.GenericParameters.Count)
            return "arity";
        for (int i = 0; i < b.GenericParameters.Count; i++)
        {
            var (pb, pn) = (b.GenericParameters[i], n.GenericParameters[i]);
            if (Text(baseRenderer, pb) != Text(newRenderer, pn))
                return "constraints of type parameter " + pn.Name;
        }
        return null;
    }

    private static string Text(ClosureRenderer renderer, GenericParameter parameter)
        => ((int)parameter.Attributes).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":"
            + string.Join(",", parameter.Constraints.Select(c => renderer.TypeName(c.ConstraintType)).OrderBy(s => s, StringComparer.Ordinal));
}
