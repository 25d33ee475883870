using Mono.Cecil;

namespace PatchGen.Diff.Lambdas;

/// <summary>
/// How the generated code of a changed method was matched between the builds (<see cref="LambdaMatcher"/>).
/// </summary>
/// <param name="Pairs">Lambdas and local functions found in both builds, changed or not.</param>
/// <param name="Closures">Closure types found in both builds with the same shape (new build's type to the base's): the patch uses the live base's, so that a replaced lambda runs on the closures the base created.</param>
/// <param name="OwnerChanged">The owner's own IL (or its own state machine) differs.</param>
/// <param name="Unmatched">Some lambda, local function or closure of the base is neither matched nor found unchanged (PG3006): the owner is replaced, as it is without a match.</param>
internal sealed record LambdaIdentity(
    IReadOnlyList<LambdaPair> Pairs,
    IReadOnlyDictionary<TypeDefinition, TypeDefinition> Closures,
    bool OwnerChanged,
    bool Unmatched)
{
    /// <summary>
    /// The owner is replaced when its own IL changed, or when not everything it owns could be matched
    /// (today's behaviour, with PG3006), or when no matched lambda changed either (the difference is in
    /// what only the owner's closure as a whole shows: replacing the owner is the safe side).
    /// </summary>
    public bool OwnerReplaced => OwnerChanged || Unmatched || !Pairs.Any(p => p.Changed);

    /// <summary>The lambdas replaced in place: matched and changed.</summary>
    public IEnumerable<LambdaPair> InPlace => Pairs.Where(p => p.Changed);
}
