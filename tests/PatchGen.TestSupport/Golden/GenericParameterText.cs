using Mono.Cecil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// A generic parameter with its variance and constraints, C#-like (<c>T : class, new(), System.IDisposable</c>).
/// Constraints matter to the runtime: it refuses a generic replacement whose parameters carry one the
/// original's do not (docs/patch-format.md).
/// </summary>
public static class GenericParameterText
{
    /// <summary><c>allows ref struct</c> (ECMA-335 augments, .NET 9), which Cecil 0.11 has no name for.</summary>
    private const GenericParameterAttributes AllowByRefLike = (GenericParameterAttributes)0x0020;

    public static string Of(GenericParameter parameter)
    {
        string variance = parameter.IsCovariant ? "+" : parameter.IsContravariant ? "-" : "";
        var constraints = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
            constraints.Add("class");
        if (parameter.HasNotNullableValueTypeConstraint)
            constraints.Add("struct");
        constraints.AddRange(parameter.Constraints.Select(c => c.ConstraintType.FullName));
        if (parameter.HasDefaultConstructorConstraint)
            constraints.Add("new()");
        if ((parameter.Attributes & AllowByRefLike) != 0)
            constraints.Add("allows ref struct");
        return variance + parameter.Name + (constraints.Count == 0 ? "" : " : " + string.Join(", ", constraints));
    }
}
