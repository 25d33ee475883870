using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// What a site's dispatch path calls through: the delegate type as the method sees it (instantiated
/// over the method's own generic parameters for a generic site) and its <c>Invoke</c>.
/// </summary>
/// <param name="Definition">The delegate type definition <c>&lt;PatchGen&gt;Sites/D&lt;k&gt;</c>, open if generic.</param>
/// <param name="DelegateType">The type for <c>castclass</c> and <c>ldtoken</c> in the method.</param>
/// <param name="Invoke">The <c>Invoke</c> method on <paramref name="DelegateType"/>.</param>
internal sealed record DispatchTarget(TypeDefinition Definition, TypeReference DelegateType, MethodReference Invoke)
{
    public bool IsGeneric => Definition.HasGenericParameters;
}
