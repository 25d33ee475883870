using System.Reflection;

namespace PatchGen.Runtime;

/// <summary>
/// The signature a patch method must have to stand for an instrumented method (docs/patch-sites.md):
/// static; the declaring type's generic parameters then the method's; the original's <c>this</c> (by
/// reference for a struct) then its parameters; its return type (void for a constructor). Checked
/// exactly, before a patch is accepted: the dispatch stubs call it with these types and nothing else.
/// </summary>
internal static class SignatureShape
{
    /// <summary>What is wrong with <paramref name="candidate"/>, or null when it fits <paramref name="original"/>.</summary>
    public static string? Mismatch(MethodInfo candidate, MethodBase original)
    {
        if (!candidate.IsStatic)
            return "it must be static";
        var declaring = original.DeclaringType!;
        int typeArity = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
        int methodArity = original.IsGenericMethodDefinition ? original.GetGenericArguments().Length : 0;
        int arity = candidate.IsGenericMethodDefinition ? candidate.GetGenericArguments().Length : 0;
        if (arity != typeArity + methodArity)
            return $"it has {arity} type parameters where {typeArity + methodArity} are needed (the declaring type's, then the method's)";

        var expected = new List<Type>();
        if (!original.IsStatic)
            expected.Add(declaring.IsValueType ? declaring.MakeByRefType() : declaring);
        expected.AddRange(original.GetParameters().Select(p => p.ParameterType));
        var actual = candidate.GetParameters().Select(p => p.ParameterType).ToArray();
        if (actual.Length != expected.Count)
            return $"it takes {actual.Length} parameters where {expected.Count} are needed ({(original.IsStatic ? "" : "this, then ")}the original's)";
        for (int i = 0; i < actual.Length; i++)
        {
            if (!Same(actual[i], expected[i], typeArity))
                return $"parameter {i + 1} is {actual[i]} where {expected[i]} is needed";
        }
        var returnType = original is MethodInfo method ? method.ReturnType : typeof(void);
        if (!Same(candidate.ReturnType, returnType, typeArity))
            return $"it returns {candidate.ReturnType} where {returnType} is needed";
        return arity == 0 ? null : ConstraintMismatch(candidate, original, typeArity);
    }

    /// <summary>
    /// The dispatch stub instantiates the candidate with the type arguments of each instantiation of the
    /// original that runs, at its first call: every type argument valid for the original must be valid for
    /// the candidate, or that first call throws "cannot bind" instead of running either body. So the
    /// candidate may drop constraints but never add one, and must allow a ref struct wherever the original does.
    /// </summary>
    private static string? ConstraintMismatch(MethodInfo candidate, MethodBase original, int typeArity)
    {
        var parameters = candidate.GetGenericArguments();
        var originals = (original.DeclaringType!.IsGenericTypeDefinition ? original.DeclaringType.GetGenericArguments() : Type.EmptyTypes)
            .Concat(original.IsGenericMethodDefinition ? original.GetGenericArguments() : Type.EmptyTypes)
            .ToArray();
        const GenericParameterAttributes restricting = GenericParameterAttributes.ReferenceTypeConstraint
            | GenericParameterAttributes.NotNullableValueTypeConstraint | GenericParameterAttributes.DefaultConstructorConstraint;
        for (int i = 0; i < parameters.Length; i++)
        {
            var mine = parameters[i].GenericParameterAttributes;
            var theirs = originals[i].GenericParameterAttributes;
            var added = mine & restricting & ~(theirs & restricting);
            if (added != 0)
                return $"type parameter {parameters[i].Name} has the constraint {added} that the original's {originals[i].Name} does not have";
            if ((theirs & GenericParameterAttributes.AllowByRefLike) != 0 && (mine & GenericParameterAttributes.AllowByRefLike) == 0)
                return $"type parameter {parameters[i].Name} does not allow a ref struct where the original's {originals[i].Name} does";
            var theirConstraints = originals[i].GetGenericParameterConstraints();
            foreach (var constraint in parameters[i].GetGenericParameterConstraints())
            {
                if (!theirConstraints.Any(c => Same(constraint, c, typeArity)))
                    return $"type parameter {parameters[i].Name} has the constraint {constraint} that the original's {originals[i].Name} does not have";
            }
        }
        return null;
    }

    /// <summary>Whether a type of the candidate is the original's type, reading the original's generic parameters as the candidate's.</summary>
    private static bool Same(Type candidate, Type original, int typeArity)
    {
        if (original.IsGenericParameter)
        {
            int index = original.DeclaringMethod is null ? original.GenericParameterPosition : typeArity + original.GenericParameterPosition;
            return candidate.IsGenericParameter && candidate.DeclaringMethod is not null && candidate.GenericParameterPosition == index;
        }
        if (original.IsByRef || original.IsPointer || original.IsArray)
        {
            if (candidate.IsByRef != original.IsByRef || candidate.IsPointer != original.IsPointer || candidate.IsArray != original.IsArray)
                return false;
            if (original.IsArray && (candidate.GetArrayRank() != original.GetArrayRank() || candidate.IsSZArray != original.IsSZArray))
                return false;
            return Same(candidate.GetElementType()!, original.GetElementType()!, typeArity);
        }
        if (original.IsGenericType)
        {
            if (!candidate.IsGenericType || candidate.GetGenericTypeDefinition() != original.GetGenericTypeDefinition())
                return false;
            var candidateArguments = candidate.GetGenericArguments();
            var originalArguments = original.GetGenericArguments();
            for (int i = 0; i < originalArguments.Length; i++)
            {
                if (!Same(candidateArguments[i], originalArguments[i], typeArity))
                    return false;
            }
            return true;
        }
        return candidate == original;
    }
}
