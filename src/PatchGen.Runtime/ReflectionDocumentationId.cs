using System.Reflection;
using System.Text;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime;

/// <summary>
/// Documentation comment IDs computed from reflection, the same strings the diff engine computes from
/// Cecil metadata (and Roslyn from symbols), so that a patch can name the method it replaces in the
/// one form every part of PatchGen uses. A test checks both agree on every method of real assemblies.
/// </summary>
internal static class ReflectionDocumentationId
{
    public static string ForMethod(MethodBase method)
    {
        var builder = new StringBuilder("M:");
        AppendDeclaringType(method.DeclaringType!, builder);
        builder.Append('.').Append(EscapeName(method.Name));
        if (method.IsGenericMethodDefinition || method.IsGenericMethod)
            builder.Append("``").Append(method.GetGenericArguments().Length);
        var parameters = method.GetParameters();
        bool isVararg = (method.CallingConvention & CallingConventions.VarArgs) != 0;
        if (parameters.Length > 0 || isVararg)
        {
            builder.Append('(');
            for (int i = 0; i < parameters.Length; i++)
            {
                if (i > 0)
                    builder.Append(',');
                AppendType(parameters[i].ParameterType, builder);
            }
            if (isVararg && parameters.Length > 0)
                builder.Append(',');
            builder.Append(')');
        }
        if (method is MethodInfo info && method.Name is "op_Implicit" or "op_Explicit")
        {
            builder.Append('~');
            AppendType(info.ReturnType, builder);
        }
        return builder.ToString();
    }

    /// <summary>The type part of an ID (<c>Shop.Cart</c>, <c>Shop.Box`1.Inner</c>), without the <c>T:</c> prefix.</summary>
    public static string ForTypeName(Type type)
    {
        var builder = new StringBuilder();
        AppendDeclaringType(type, builder);
        return builder.ToString();
    }

    private static void AppendDeclaringType(Type type, StringBuilder builder)
    {
        if (type.IsNested)
        {
            AppendDeclaringType(type.DeclaringType!, builder);
            builder.Append('.');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            builder.Append(type.Namespace).Append('.');
        }
        builder.Append(type.IsNested ? type.Name : FileLocalUserName(type.Name));
    }

    /// <summary>
    /// A <c>file</c>-scoped type goes by its own name in IDs, as Roslyn names it (<c>T:Cases.Helper</c>),
    /// not by its metadata name, <c>&lt;Cart&gt;F{SHA-256 of the file's path, 64 hex digits}__Helper</c>
    /// (<see cref="FileLocalNames"/>, shared with the diff engine and the emitter). Two such types of one name in two files have one ID: a patch tells
    /// them apart by site number (<see cref="DocumentationIdIndex"/>).
    /// </summary>
    internal static string FileLocalUserName(string name) => FileLocalNames.UserName(name);

    private static string EscapeName(string name) => name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@');

    private static void AppendType(Type type, StringBuilder builder)
    {
        if (type.IsByRef)
        {
            AppendType(type.GetElementType()!, builder);
            builder.Append('@');
            return;
        }
        if (type.IsPointer)
        {
            AppendType(type.GetElementType()!, builder);
            builder.Append('*');
            return;
        }
        if (type.IsArray)
        {
            AppendType(type.GetElementType()!, builder);
            if (type.IsSZArray)
            {
                builder.Append("[]");
            }
            else
            {
                builder.Append('[');
                for (int i = 0; i < type.GetArrayRank(); i++)
                    builder.Append(i == 0 ? "0:" : ",0:");
                builder.Append(']');
            }
            return;
        }
        if (type.IsGenericParameter)
        {
            builder.Append(type.DeclaringMethod is null ? "`" : "``").Append(type.GenericParameterPosition);
            return;
        }
        if (type.IsFunctionPointer)
            return; // Roslyn writes nothing for a function pointer type in an ID.
        if (type.IsGenericType)
        {
            // A signature naming G<T> inside G<T> comes back from reflection as the definition itself;
            // it is still an instantiation (over G's own parameters) and written as one: G{`0}.
            AppendGenericInstance(type, type.GetGenericArguments(), builder);
            return;
        }
        AppendDeclaringType(type, builder);
    }

    /// <summary><c>Outer`1+Inner`1[A,B]</c> carries every argument on the innermost type; the ID distributes them by each level's own arity.</summary>
    private static void AppendGenericInstance(Type type, Type[] arguments, StringBuilder builder)
    {
        var definition = type.IsGenericTypeDefinition ? type : type.GetGenericTypeDefinition();
        var chain = new List<Type>();
        for (Type? t = definition; t is not null; t = t.IsNested ? t.DeclaringType : null)
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
            var name = level == 0 ? FileLocalUserName(t.Name) : t.Name;
            int tick = name.LastIndexOf('`');
            int arity = 0;
            if (tick > 0 && int.TryParse(name.AsSpan(tick + 1), out arity))
                name = name[..tick];
            builder.Append(name);
            if (arity > 0)
            {
                builder.Append('{');
                for (int i = 0; i < arity && next < arguments.Length; i++, next++)
                {
                    if (i > 0)
                        builder.Append(',');
                    AppendType(arguments[next], builder);
                }
                builder.Append('}');
            }
        }
    }
}
