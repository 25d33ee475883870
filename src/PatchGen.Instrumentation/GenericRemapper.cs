using System.Text;
using Mono.Cecil;
using PatchGen.Cecil.TypeReferences;

namespace PatchGen.Instrumentation;

/// <summary>
/// Moves a signature from a method's generic context to its dispatch stub's: the declaring type's
/// generic parameter i becomes the stub's parameter i, the method's parameter j becomes the stub's
/// parameter (type arity + j). Also renders a signature as a key in which generic parameters are
/// numbered that way, so that methods with the same dispatch shape share a stub.
/// </summary>
internal sealed class GenericRemapper
{
    private readonly int _typeArity;
    private readonly IReadOnlyList<TypeReference>? _target;
    private readonly StubRewriter _rewriter;
    private readonly KeyWriter _keys;

    /// <param name="typeArity">How many generic parameters the declaring type has.</param>
    /// <param name="target">The stub's generic parameters; null when only rendering keys.</param>
    public GenericRemapper(int typeArity, IReadOnlyList<TypeReference>? target)
    {
        _typeArity = typeArity;
        _target = target;
        _rewriter = new StubRewriter(this);
        _keys = new KeyWriter(this);
    }

    private int Index(GenericParameter parameter)
        => parameter.Type == GenericParameterType.Method ? _typeArity + parameter.Position : parameter.Position;

    public TypeReference Remap(TypeReference type) => _rewriter.Rewrite(type, default);

    /// <summary>A text that is equal for two types exactly when they remap to the same type.</summary>
    public string Key(TypeReference type) => _keys.Write(type);

    /// <summary>Generic parameters become the stub's; named types stay what they are.</summary>
    private sealed class StubRewriter(GenericRemapper remapper) : TypeReferenceRewriter<ValueTuple>
    {
        protected override TypeReference GenericParameter(GenericParameter parameter, ValueTuple state)
            => remapper._target![remapper.Index(parameter)];

        protected override TypeReference Named(TypeReference type, ValueTuple state) => type;
    }

    /// <summary>
    /// The canonical closure's forms, except: generic parameters by stub position (<c>!3</c>),
    /// array bounds, function pointers' calling conventions, and types by scope and full name (two
    /// types of the same name from different assemblies are different types), value types marked.
    /// </summary>
    private sealed class KeyWriter(GenericRemapper remapper) : TypeNameWriter
    {
        protected override StringBuilder GenericParameter(GenericParameter parameter, StringBuilder text)
            => text.Append('!').Append(remapper.Index(parameter));

        protected override StringBuilder Array(ArrayType array, StringBuilder text)
        {
            Walk(array.ElementType, text).Append('[');
            for (int i = 0; i < array.Dimensions.Count; i++)
            {
                var dimension = array.Dimensions[i];
                if (i > 0)
                    text.Append(',');
                if (dimension.IsSized)
                    text.Append(dimension.LowerBound).Append("...").Append(dimension.UpperBound);
            }
            return text.Append(']');
        }

        protected override StringBuilder Sentinel(SentinelType sentinel, StringBuilder text)
            => Walk(sentinel.ElementType, text).Append(" sentinel");

        protected override StringBuilder FunctionPointer(FunctionPointerType pointer, StringBuilder text)
        {
            text.Append("method ").Append((int)pointer.CallingConvention).Append(pointer.HasThis ? " this " : " ");
            Walk(pointer.ReturnType, text).Append('(');
            foreach (var parameter in pointer.Parameters)
                Walk(parameter.ParameterType, text).Append(',');
            return text.Append(')');
        }

        protected override StringBuilder Named(TypeReference type, StringBuilder text)
        {
            text.Append('[').Append(type.Scope?.Name).Append(']').Append(type.FullName);
            if (type.IsValueType)
                text.Append(" valuetype");
            return text;
        }
    }
}
