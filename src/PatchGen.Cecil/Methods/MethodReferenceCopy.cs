using Mono.Cecil;

namespace PatchGen.Cecil.Methods;

/// <summary>
/// A new reference to the method <paramref name="source"/> names, under another name, return type or declaring
/// type: its calling convention, <c>this</c> flags, generic parameters (owned by the copy) and parameter types
/// kept, which is what makes the runtime resolve it to the same signature.
/// </summary>
internal static class MethodReferenceCopy
{
    public static MethodReference With(MethodReference source, string name, TypeReference returnType, TypeReference declaringType)
    {
        var copy = new MethodReference(name, returnType, declaringType)
        {
            HasThis = source.HasThis,
            ExplicitThis = source.ExplicitThis,
            CallingConvention = source.CallingConvention,
        };
        foreach (var parameter in source.GenericParameters)
            copy.GenericParameters.Add(new GenericParameter(parameter.Name, copy));
        foreach (var parameter in source.Parameters)
            copy.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        return copy;
    }
}
