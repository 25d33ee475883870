using System.Text;
using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Cecil.Text;
using PatchGen.Cecil.TypeReferences;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Documentation comment IDs (<c>M:Shop.Cart.Total(System.Int32)</c>) computed from Cecil metadata,
/// byte for byte what Roslyn's <c>ISymbol.GetDocumentationCommentId()</c> gives for the same symbol
/// (a test checks this against Roslyn for every member of every test case). They are the names
/// members go by everywhere: JSON output, patch metadata, logs.
/// </summary>
internal static class DocumentationId
{
    public static string For(IMemberDefinition member) => member switch
    {
        TypeDefinition type => ForType(type),
        MethodDefinition method => ForMethod(method),
        FieldDefinition field => ForField(field),
        PropertyDefinition property => ForProperty(property),
        EventDefinition evt => ForEvent(evt),
        _ => throw new ArgumentException("unsupported member kind " + member.GetType().Name),
    };

    // Reading a large assembly builds a hundred thousand IDs: each in this thread's spare builder.
    private static StringBuilder Builder(string prefix) => SpareStringBuilder.Take().Append(prefix);

    public static string ForType(TypeDefinition type)
    {
        var builder = Builder("T:");
        AppendType(type, builder);
        return SpareStringBuilder.Release(builder);
    }

    public static string ForMethod(MethodDefinition method)
    {
        var builder = Builder("M:");
        AppendType(method.DeclaringType, builder);
        builder.Append('.').Append(EscapeName(method.Name));
        if (method.HasGenericParameters)
            builder.Append("``").Append(method.GenericParameters.Count);
        bool isVararg = method.CallingConvention == MethodCallingConvention.VarArg;
        if (method.HasParameters || isVararg)
            AppendParameters(method.Parameters, isVararg, builder);
        if (method.Name is "op_Implicit" or "op_Explicit")
        {
            builder.Append('~');
            AppendType(method.ReturnType, builder);
        }
        return SpareStringBuilder.Release(builder);
    }

    public static string ForField(FieldDefinition field)
    {
        var builder = Builder("F:");
        AppendType(field.DeclaringType, builder);
        return SpareStringBuilder.Release(builder.Append('.').Append(EscapeName(field.Name)));
    }

    public static string ForProperty(PropertyDefinition property)
    {
        var builder = Builder("P:");
        AppendType(property.DeclaringType, builder);
        builder.Append('.').Append(EscapeName(property.Name));
        if (property.HasParameters)
            AppendParameters(property.Parameters, false, builder);
        return SpareStringBuilder.Release(builder);
    }

    public static string ForEvent(EventDefinition evt)
    {
        var builder = Builder("E:");
        AppendType(evt.DeclaringType, builder);
        return SpareStringBuilder.Release(builder.Append('.').Append(EscapeName(evt.Name)));
    }

    private static void AppendParameters(IEnumerable<ParameterDefinition> parameters, bool isVararg, StringBuilder builder)
    {
        builder.Append('(');
        bool any = false;
        foreach (var parameter in parameters)
        {
            if (any)
                builder.Append(',');
            AppendType(parameter.ParameterType, builder);
            any = true;
        }
        // Roslyn writes a trailing comma for varargs methods that also have fixed parameters.
        if (isVararg && any)
            builder.Append(',');
        builder.Append(')');
    }

    /// <summary>Explicit implementations are named after the interface member: dots become '#'.</summary>
    private static string EscapeName(string name) => name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@');

    internal static void AppendType(TypeReference type, StringBuilder builder) => TypeWriter.Instance.Append(type, builder);

    /// <summary>
    /// Types as IDs write them: <c>`0</c> and <c>``0</c> for generic parameters, <c>@</c> for byrefs,
    /// <c>[0:,0:]</c> for arrays of rank 2, <c>{}</c> around generic arguments, '.' before nested
    /// types; modifiers, pinning and sentinels are not written, nor are function pointers (Roslyn
    /// writes nothing for one: <c>M(System.Int32*,)</c>).
    /// </summary>
    private sealed class TypeWriter : TypeNameWriter
    {
        public static readonly TypeWriter Instance = new();

        protected override char NestedSeparator => '.';

        /// <summary>A file-local type by its own name alone, as Roslyn's IDs name it.</summary>
        protected override string NameOf(TypeReference type) => FileLocalNames.UserName(type.Name);

        protected override StringBuilder GenericParameter(GenericParameter parameter, StringBuilder builder)
            => builder.Append(parameter.Type == GenericParameterType.Method ? "``" : "`").Append(parameter.Position);

        protected override StringBuilder GenericInstance(GenericInstanceType instance, StringBuilder builder)
        {
            AppendGenericInstance(instance, builder);
            return builder;
        }

        protected override StringBuilder Array(ArrayType array, StringBuilder builder)
        {
            Walk(array.ElementType, builder);
            if (array.IsVector)
                return builder.Append("[]");
            builder.Append('[');
            for (int i = 0; i < array.Rank; i++)
                builder.Append(i == 0 ? "0:" : ",0:");
            return builder.Append(']');
        }

        protected override StringBuilder ByReference(ByReferenceType byReference, StringBuilder builder)
            => Walk(byReference.ElementType, builder).Append('@');

        protected override StringBuilder Pinned(PinnedType pinned, StringBuilder builder) => Walk(pinned.ElementType, builder);

        protected override StringBuilder Sentinel(SentinelType sentinel, StringBuilder builder) => Walk(sentinel.ElementType, builder);

        protected override StringBuilder RequiredModifier(RequiredModifierType required, StringBuilder builder) => Walk(required.ElementType, builder);

        protected override StringBuilder OptionalModifier(OptionalModifierType optional, StringBuilder builder) => Walk(optional.ElementType, builder);

        protected override StringBuilder FunctionPointer(FunctionPointerType function, StringBuilder builder) => builder;

        /// <summary>
        /// <c>Outer`1/Inner`1&lt;A,B&gt;</c> in metadata carries all arguments on the innermost type;
        /// the ID distributes them by each level's own arity: <c>Outer{A}.Inner{B}</c>.
        /// </summary>
        private void AppendGenericInstance(GenericInstanceType instance, StringBuilder builder)
        {
            var chain = new List<TypeReference>();
            for (TypeReference? t = instance.ElementType; t != null; t = t.DeclaringType)
                chain.Add(t);
            chain.Reverse();

            int next = 0;
            for (int level = 0; level < chain.Count; level++)
            {
                var t = chain[level];
                if (level == 0)
                {
                    if (!string.IsNullOrEmpty(t.Namespace))
                        builder.Append(t.Namespace).Append('.');
                }
                else
                {
                    builder.Append('.');
                }

                var (name, arity) = SplitArity(FileLocalNames.UserName(t.Name));
                builder.Append(name);
                if (arity > 0)
                {
                    builder.Append('{');
                    for (int i = 0; i < arity && next < instance.GenericArguments.Count; i++, next++)
                    {
                        if (i > 0)
                            builder.Append(',');
                        Walk(instance.GenericArguments[next], builder);
                    }
                    builder.Append('}');
                }
            }
        }
    }

    internal static (string Name, int Arity) SplitArity(string name)
    {
        int tick = name.LastIndexOf('`');
        if (tick > 0 && int.TryParse(name.AsSpan(tick + 1), out int arity))
            return (name[..tick], arity);
        return (name, 0);
    }
}
