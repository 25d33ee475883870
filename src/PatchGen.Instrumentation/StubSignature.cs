using System.Text;
using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// The dispatch signature of a method, erased to what its calling convention needs, so that methods of
/// many types share one stub. The stub passes its arguments through <c>calli</c> to a replacement whose
/// declared types are the exact ones; the erasure is sound because the erased types have the same
/// representation in the native calling convention and in the GC's view:
/// <list type="bullet">
/// <item>every reference type (class, interface, array, delegate, string) becomes <c>object</c>;</item>
/// <item>every managed pointer (<c>ref T</c>, and the <c>this</c> of a struct) becomes <c>ref byte</c>;</item>
/// <item>unmanaged and function pointers become <c>native int</c>;</item>
/// <item>value types stay exactly as they are (their layout decides how they are passed), and so do
/// generic parameters, which become the stub's own generic parameters.</item>
/// </list>
/// A site in generic code always gets a generic stub over the declaring type's parameters followed by
/// the method's (with their constraints), even when the signature mentions none of them: the runtime
/// needs the instantiation to find the replacement's.
/// </summary>
internal sealed class StubSignature
{
    private StubSignature(string key, int arity, List<GenericParameter> sources, int typeArity, TypeReference @return, List<TypeReference> parameters)
    {
        Key = key;
        Arity = arity;
        Sources = sources;
        TypeArity = typeArity;
        Return = @return;
        Parameters = parameters;
    }

    /// <summary>Equal for two methods exactly when they can share a stub.</summary>
    public string Key { get; }

    /// <summary>The stub's generic arity: the declaring type's generic parameters plus the method's.</summary>
    public int Arity { get; }

    /// <summary>The method's generic context (declaring type's parameters, then the method's).</summary>
    public List<GenericParameter> Sources { get; }

    public int TypeArity { get; }

    /// <summary>The return type, erased, in the method's generic context.</summary>
    public TypeReference Return { get; }

    /// <summary>The explicit <c>this</c> (if any) and the parameters, erased, in the method's generic context.</summary>
    public List<TypeReference> Parameters { get; }

    public static StubSignature Of(MethodDefinition method, ModuleDefinition module)
    {
        var declaringType = method.DeclaringType;
        int typeArity = declaringType.GenericParameters.Count;
        var sources = declaringType.GenericParameters.Concat(method.GenericParameters).ToList();
        var parameters = new List<TypeReference>();
        if (method.HasThis)
        {
            // A struct's instance methods receive a managed pointer to the value (ECMA-335 II.13.3).
            parameters.Add(declaringType.IsValueType ? new ByReferenceType(module.TypeSystem.Byte) : module.TypeSystem.Object);
        }
        foreach (var parameter in method.Parameters)
            parameters.Add(Erase(parameter.ParameterType, module));
        var @return = Erase(method.ReturnType, module);

        var keyRenderer = new GenericRemapper(typeArity, null);
        var key = new StringBuilder();
        key.Append(sources.Count).Append('|');
        foreach (var parameter in sources)
        {
            key.Append('<').Append((int)(parameter.Attributes & ~GenericParameterAttributes.VarianceMask));
            foreach (var constraint in parameter.Constraints)
                key.Append(':').Append(keyRenderer.Key(constraint.ConstraintType));
            key.Append('>');
        }
        key.Append(keyRenderer.Key(@return)).Append('(');
        foreach (var parameter in parameters)
            key.Append(keyRenderer.Key(parameter)).Append(',');
        key.Append(')');
        return new StubSignature(key.ToString(), sources.Count, sources, typeArity, @return, parameters);
    }

    private static TypeReference Erase(TypeReference type, ModuleDefinition module)
    {
        while (type is IModifierType modified)
            type = modified.ElementType;
        switch (type)
        {
            case GenericParameter:
                return type;
            case ByReferenceType:
                return new ByReferenceType(module.TypeSystem.Byte);
            case PointerType:
            case FunctionPointerType:
                return module.TypeSystem.IntPtr;
            case ArrayType:
                return module.TypeSystem.Object;
            default:
                if (type.MetadataType == MetadataType.Void)
                    return module.TypeSystem.Void;
                // Value types (primitives, enums, structs, generic structs) keep their exact layout.
                return type.IsValueType ? type : module.TypeSystem.Object;
        }
    }
}
