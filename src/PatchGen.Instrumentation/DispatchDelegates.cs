using System.Text;
using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Creates the nested dispatch delegate types <c>D&lt;k&gt;</c> of <c>&lt;PatchGen&gt;Sites</c>, one per
/// distinct dispatch signature, numbered in the order sites first need them (so the output does not
/// depend on hashing). <c>Invoke</c> takes the explicit <c>this</c> (the declaring type over its own
/// generic parameters; by reference for a struct), then the method's parameters, and returns what the
/// method returns. A generic site's delegate has the declaring type's generic parameters followed by
/// the method's, with their constraints, so that every instantiation of the method is a valid one of
/// the delegate.
/// </summary>
internal sealed class DispatchDelegates
{
    private readonly TypeDefinition _sitesType;
    private readonly RuntimeReferences _references;
    private readonly ModuleDefinition _module;
    private readonly Dictionary<string, TypeDefinition> _byKey = new(StringComparer.Ordinal);

    public DispatchDelegates(ModuleDefinition module, TypeDefinition sitesType, RuntimeReferences references)
    {
        _module = module;
        _sitesType = sitesType;
        _references = references;
    }

    public int Count => _byKey.Count;

    public DispatchTarget For(MethodDefinition method)
    {
        var declaringType = method.DeclaringType;
        int typeArity = declaringType.GenericParameters.Count;
        var sourceParameters = declaringType.GenericParameters.Concat(method.GenericParameters).ToList();
        var signature = Signature(method);

        var keyRenderer = new GenericRemapper(typeArity, null);
        var key = new StringBuilder();
        foreach (var parameter in sourceParameters)
        {
            key.Append('<').Append((int)(parameter.Attributes & ~GenericParameterAttributes.VarianceMask));
            foreach (var constraint in parameter.Constraints)
                key.Append(':').Append(keyRenderer.Key(constraint.ConstraintType));
            key.Append('>');
        }
        key.Append(keyRenderer.Key(signature.Return)).Append('(');
        foreach (var parameter in signature.Parameters)
            key.Append(keyRenderer.Key(parameter)).Append(',');
        key.Append(')');

        if (!_byKey.TryGetValue(key.ToString(), out var definition))
        {
            definition = Create(_byKey.Count, typeArity, sourceParameters, signature);
            _byKey.Add(key.ToString(), definition);
        }

        if (sourceParameters.Count == 0)
            return new DispatchTarget(definition, definition, definition.Methods.Single(m => m.Name == "Invoke"));

        // In the method, the delegate is instantiated over the method's own context: D<!0.., !!0..>.
        var instance = new GenericInstanceType(definition);
        foreach (var parameter in sourceParameters)
            instance.GenericArguments.Add(parameter);
        var invokeDefinition = definition.Methods.Single(m => m.Name == "Invoke");
        var invoke = new MethodReference("Invoke", invokeDefinition.ReturnType, instance) { HasThis = true };
        foreach (var parameter in invokeDefinition.Parameters)
            invoke.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        return new DispatchTarget(definition, instance, invoke);
    }

    /// <summary>The dispatch signature in the method's generic context: explicit this, parameters, return.</summary>
    private static (TypeReference Return, List<TypeReference> Parameters) Signature(MethodDefinition method)
    {
        var parameters = new List<TypeReference>();
        if (method.HasThis)
        {
            var declaringType = method.DeclaringType;
            TypeReference self = declaringType;
            if (declaringType.HasGenericParameters)
            {
                var instance = new GenericInstanceType(declaringType);
                foreach (var parameter in declaringType.GenericParameters)
                    instance.GenericArguments.Add(parameter);
                self = instance;
            }
            // A struct's instance methods receive a managed pointer to the value (ECMA-335 II.13.3).
            parameters.Add(declaringType.IsValueType ? new ByReferenceType(self) : self);
        }
        foreach (var parameter in method.Parameters)
            parameters.Add(parameter.ParameterType);
        return (method.ReturnType, parameters);
    }

    private TypeDefinition Create(int number, int typeArity, List<GenericParameter> sourceParameters, (TypeReference Return, List<TypeReference> Parameters) signature)
    {
        var type = new TypeDefinition("", "D" + number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TypeAttributes.NestedPublic | TypeAttributes.Sealed, _references.MulticastDelegate);
        _sitesType.NestedTypes.Add(type);

        // Every parameter first, then constraints: a constraint may name a later parameter (where T : IComparer<U>).
        var parameters = new List<TypeReference>();
        foreach (var source in sourceParameters)
        {
            // Variance is dropped: a covariant parameter of an interface may appear as an input of Invoke.
            var parameter = new GenericParameter(source.Name, type)
            {
                Attributes = source.Attributes & ~GenericParameterAttributes.VarianceMask,
            };
            type.GenericParameters.Add(parameter);
            parameters.Add(parameter);
        }
        var remapper = new GenericRemapper(typeArity, parameters);
        for (int i = 0; i < sourceParameters.Count; i++)
        {
            foreach (var constraint in sourceParameters[i].Constraints)
                type.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(remapper.Remap(constraint.ConstraintType)));
        }

        var constructor = new MethodDefinition(".ctor",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            _module.TypeSystem.Void)
        {
            ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed,
        };
        constructor.Parameters.Add(new ParameterDefinition("object", ParameterAttributes.None, _module.TypeSystem.Object));
        constructor.Parameters.Add(new ParameterDefinition("method", ParameterAttributes.None, _module.TypeSystem.IntPtr));
        type.Methods.Add(constructor);

        var invoke = new MethodDefinition("Invoke",
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.NewSlot | MethodAttributes.Virtual,
            remapper.Remap(signature.Return))
        {
            ImplAttributes = MethodImplAttributes.Runtime | MethodImplAttributes.Managed,
        };
        for (int i = 0; i < signature.Parameters.Count; i++)
            invoke.Parameters.Add(new ParameterDefinition("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ParameterAttributes.None, remapper.Remap(signature.Parameters[i])));
        type.Methods.Add(invoke);
        return type;
    }
}
