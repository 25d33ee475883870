using System.Globalization;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff.Lambdas;

/// <summary>
/// What identifies a lambda or local function of a rendered closure, short of its body: where the
/// compiler put it, its place in the owner's syntax, its signature, and whether it is a local
/// function (by name) or async.
/// </summary>
internal sealed class LambdaFacts
{
    private LambdaFacts(MethodDefinition method, int ordinal, int walkOrder, LambdaContainerKind kind, string body)
    {
        Method = method;
        Ordinal = ordinal;
        WalkOrder = walkOrder;
        Kind = kind;
        Body = body;
        LocalFunction = GeneratedCode.LocalFunctionName(method.Name);
        var generated = new List<TypeDefinition>();
        var signature = new StringBuilder();
        signature.Append(method.HasThis ? "instance " : "static ").Append(method.GenericParameters.Count).Append(' ');
        AppendType(method.ReturnType, signature, generated);
        foreach (var parameter in method.Parameters)
            AppendType(parameter.ParameterType, signature.Append(','), generated);
        signature.Append(" sm=").Append(GeneratedCode.StateMachineOf(method)?.Kind ?? "-");
        Signature = signature.ToString();
        SignatureClosures = generated;
    }

    public MethodDefinition Method { get; }

    /// <summary>The compiler's lambda ordinal (syntax order within the owner), from the name: <c>&lt;M&gt;b__3_1</c> gives 1.</summary>
    public int Ordinal { get; }

    /// <summary>Order of first reference in the owner's closure: breaks ordinal ties.</summary>
    public int WalkOrder { get; }

    public LambdaContainerKind Kind { get; }

    /// <summary>The hash of its section, and of its own state machine's if it is async or an iterator.</summary>
    public string Body { get; }

    public string? LocalFunction { get; }

    /// <summary>Its signature, with the closures it takes (a local function's closure struct by reference) written as <c>closure</c>.</summary>
    public string Signature { get; }

    /// <summary>The closure types named in its signature, in order: they must be matched too.</summary>
    public IReadOnlyList<TypeDefinition> SignatureClosures { get; }

    public TypeDefinition Container => Method.DeclaringType;

    /// <summary>The lambdas and local functions of a rendered closure, in syntax order (null when a name cannot be read: nothing is matched then).</summary>
    public static List<LambdaFacts>? Of(RenderedClosure closure)
    {
        var sections = closure.Sections;
        var list = new List<LambdaFacts>();
        for (int i = 0; i < sections.Count; i++)
        {
            // A lambda without IL (a LibraryImport's generated P/Invoke) has no site to replace it through.
            if (sections[i] is not { Kind: ClosureSectionKind.Lambda, Member: MethodDefinition method } || !GeneratedCode.IsLambdaOrLocalFunction(method) || !method.HasBody)
                continue;
            var ordinal = OrdinalOf(method.Name);
            if (ordinal is null)
                return null;
            var body = Convert.ToHexString(sections[i].Hash);
            if (GeneratedCode.StateMachineOf(method) is { } stateMachine)
            {
                var own = sections.FirstOrDefault(s => s.Kind == ClosureSectionKind.StateMachine && ReferenceEquals(s.Member, stateMachine.Type));
                if (own is null)
                    return null;
                body += "|" + Convert.ToHexString(own.Hash);
            }
            list.Add(new LambdaFacts(method, ordinal.Value, i, KindOf(method.DeclaringType), body));
        }
        return list.OrderBy(l => l.Ordinal).ThenBy(l => l.WalkOrder).ToList();
    }

    /// <summary>
    /// Whether two lambdas can be one: same kind of container (the same user type, or its lambda
    /// cache), same signature, same local function name, same async-ness. Closure types are not
    /// compared here; <see cref="LambdaMatcher"/> pairs them.
    /// </summary>
    public bool CompatibleWith(LambdaFacts other)
    {
        if (Kind != other.Kind || Signature != other.Signature || LocalFunction != other.LocalFunction)
            return false;
        if (Kind == LambdaContainerKind.UserType && FileLocalNames.Stable(Container.FullName) != FileLocalNames.Stable(other.Container.FullName))
            return false;
        if (Kind == LambdaContainerKind.LambdaCache && FileLocalNames.Stable(Container.DeclaringType.FullName) != FileLocalNames.Stable(other.Container.DeclaringType.FullName))
            return false;
        // A replacement of a lambda of <>c runs on the base's <>c, but the patch ships its own <>c for
        // whatever else the body uses: a body that used its instance would mix the two.
        return Kind != LambdaContainerKind.LambdaCache || (!UsesThis(Method) && !UsesThis(other.Method));
    }

    // ldarga takes the address of any argument (a Nullable<T> parameter's, to call GetValueOrDefault):
    // only its operand tells whether that is the instance.
    private static bool UsesThis(MethodDefinition method)
        => method.HasBody && method.Body.Instructions.Any(i => i.OpCode.Code is Code.Ldarg_0
            || (i.OpCode.Code is Code.Ldarg or Code.Ldarg_S or Code.Ldarga or Code.Ldarga_S && i.Operand is ParameterDefinition { Index: -1 }));

    private static LambdaContainerKind KindOf(TypeDefinition type)
        => GeneratedCode.IsUserType(type) ? LambdaContainerKind.UserType
            : type.Name == GeneratedCode.LambdaCacheClass ? LambdaContainerKind.LambdaCache
            : LambdaContainerKind.Closure;

    /// <summary>
    /// <c>&lt;M&gt;b__3_1</c>, <c>&lt;M&gt;b__1</c> (in a closure class), <c>&lt;M&gt;g__Local|3_1</c>: the last number, the lambda's
    /// ordinal (Roslyn numbers a method's lambdas and local functions in syntax order). An edit-and-continue
    /// generation (<c>#1</c>) is not part of it.
    /// </summary>
    internal static int? OrdinalOf(string name)
    {
        int hash = name.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
            name = name[..hash];
        int marker = Math.Max(name.LastIndexOf(">b__", StringComparison.Ordinal), name.LastIndexOf(">g__", StringComparison.Ordinal));
        if (marker < 0)
            return null;
        var tail = name[(marker + 4)..];
        int bar = tail.LastIndexOf('|');
        if (bar >= 0)
            tail = tail[(bar + 1)..];
        else if (name[marker + 1] == 'g')
            return null;
        int underscore = tail.LastIndexOf('_');
        if (underscore >= 0)
            tail = tail[(underscore + 1)..];
        return int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out int ordinal) ? ordinal : null;
    }

    /// <summary>A type as signatures compare it: closure types of the module as <c>closure</c> (collected), generic parameters by position.</summary>
    private static void AppendType(TypeReference type, StringBuilder text, List<TypeDefinition> closures)
    {
        switch (type)
        {
            case GenericParameter parameter:
                text.Append(parameter.Type == GenericParameterType.Method ? "!!" : "!").Append(parameter.Position);
                return;
            case ByReferenceType byReference:
                AppendType(byReference.ElementType, text, closures);
                text.Append('&');
                return;
            case ArrayType array:
                AppendType(array.ElementType, text, closures);
                text.Append('[').Append(array.Rank).Append(']');
                return;
            case GenericInstanceType instance:
                AppendType(instance.ElementType, text, closures);
                text.Append('<');
                foreach (var argument in instance.GenericArguments)
                    AppendType(argument, text.Append(' '), closures);
                text.Append('>');
                return;
            case TypeSpecification specification:
                AppendType(specification.ElementType, text, closures);
                text.Append('~').Append(specification.MetadataType);
                return;
        }
        if (type is TypeDefinition definition && GeneratedCode.IsOwnedGeneratedType(definition))
        {
            closures.Add(definition);
            text.Append("closure");
            return;
        }
        text.Append(FileLocalNames.Stable(type.FullName));
    }
}
