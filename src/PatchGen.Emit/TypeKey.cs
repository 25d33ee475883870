using System.Text;
using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Cecil.TypeReferences;
using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// A name for a type or method signature that is the same in the new build and in the base for the
/// same declaration: full names, with generic parameters by position (a renamed <c>T</c> is still
/// <c>!0</c>). Used to find an existing member of the base from its counterpart in the new build.
/// </summary>
internal static class TypeKey
{
    public static string Of(TypeReference type) => KeyWriter.Instance.Write(type);

    public static string Of(MethodReference method)
    {
        var builder = new StringBuilder();
        builder.Append(method.HasThis ? "instance " : "static ").Append(method.Name).Append('`').Append(method.GenericParameters.Count).Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            KeyWriter.Instance.Append(method.Parameters[i].ParameterType, builder);
        }
        builder.Append(')');
        KeyWriter.Instance.Append(method.ReturnType, builder);
        return builder.ToString();
    }

    /// <summary>
    /// The canonical closure's forms, except: types by full name, arrays by rank (<c>[2]</c>),
    /// pinned and sentinel types by their element type (<c>~Pinned</c>), function pointers without
    /// their calling convention.
    /// </summary>
    private sealed class KeyWriter : TypeNameWriter
    {
        public static readonly KeyWriter Instance = new();

        protected override StringBuilder Array(ArrayType array, StringBuilder builder)
            => Walk(array.ElementType, builder).Append('[').Append(array.Rank).Append(']');

        protected override StringBuilder Pinned(PinnedType pinned, StringBuilder builder)
            => Walk(pinned.ElementType, builder).Append('~').Append(pinned.MetadataType);

        protected override StringBuilder Sentinel(SentinelType sentinel, StringBuilder builder)
            => Walk(sentinel.ElementType, builder).Append('~').Append(sentinel.MetadataType);

        protected override StringBuilder FunctionPointer(FunctionPointerType function, StringBuilder builder)
        {
            Walk(function.ReturnType, builder.Append("method ")).Append('(');
            foreach (var parameter in function.Parameters)
                Walk(parameter.ParameterType, builder).Append(',');
            return builder.Append(')');
        }

        /// <summary>A file-local type without the checksum of its file's path: a fix built in another folder has another.</summary>
        protected override StringBuilder Named(TypeReference type, StringBuilder builder) => builder.Append(FileLocalNames.Stable(type.FullName));
    }
}
