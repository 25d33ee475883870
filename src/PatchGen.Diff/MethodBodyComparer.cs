using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// The IL of a method present in both builds (its shape is the rules' business, PatchGen.Rules):
/// its code is compared as canonical closures (<see cref="ClosureRenderer"/>), and a difference is a
/// body change, with what it means for a static or instance constructor (PG2004, PG3004), a state
/// machine (PG3005), a lambda (PG3006), a LibraryImport stub (PG1006) or a construct the patch
/// emitter cannot reproduce (PG0008).
/// </summary>
internal static class MethodBodyComparer
{
    private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";

    /// <param name="id">The ID findings are reported under.</param>
    /// <param name="shape">The new method as the rules read it, which names it in messages.</param>
    public static void Compare(DiffContext context, MethodDefinition b, MethodDefinition n, string id, BaselineMethod shape)
    {
        // Unchanged methods, nearly all of them, are settled by comparing canonical texts (see RendersSameAs).
        if (context.BaseRenderer.RendersSameAs(b, context.NewRenderer, n))
            return;
        var name = shape.DisplayName;

        // Rendered with line origins, to locate the first difference; the closures kept for the
        // change drop them (and their text) again.
        var baseClosure = context.BaseRenderer.Render(b, keepOrigins: true);
        var newClosure = context.NewRenderer.Render(n, keepOrigins: true);
        if (baseClosure.Hash.AsSpan().SequenceEqual(newClosure.Hash))
            return;

        context.Change(id, ChangeKind.BodyChanged);
        var location = FirstDifference(context, baseClosure, newClosure);
        (baseClosure, newClosure) = (baseClosure with { Text = null, Origins = null }, newClosure with { Text = null, Origins = null });
        context.ChangedMethods.Add(new ChangedMethod(b, n, baseClosure, newClosure));

        if (n.IsConstructor && n.IsStatic)
            context.Report(DiagnosticCatalog.StaticInitializerChanged, id, location, CSharpName.Type(n.DeclaringType));
        else if (n.IsConstructor)
            context.Report(DiagnosticCatalog.ConstructorChanged, id, location, name);

        if ((GeneratedCode.StateMachineOf(n) ?? GeneratedCode.StateMachineOf(b)) is { } stateMachine)
            context.Report(DiagnosticCatalog.StateMachineChanged, id, location, name, stateMachine.Kind == "async" ? "async" : stateMachine.Kind == "iterator" ? "iterator" : "async iterator");

        if (LambdaChanged(baseClosure, newClosure))
            context.Report(DiagnosticCatalog.LambdaChanged, id, location, name);

        if (LifetimeFunction.Why(n) is { } lifetime)
            context.Report(DiagnosticCatalog.LifetimeFunctionChanged, id, location, name, lifetime);

        if (n.IsPInvokeImpl || n.CustomAttributes.Any(a => a.AttributeType.FullName == LibraryImport))
            context.Report(DiagnosticCatalog.NoBodyToReplace, id, location, name, "a LibraryImport stub");

        foreach (var construct in UnsupportedConstructs(context, newClosure))
            context.Report(DiagnosticCatalog.UnsupportedConstruct, id, location, name, construct);
    }

    /// <summary>
    /// A lambda or local function of the base build whose code is not found unchanged in the new
    /// build: delegates made from it before the patch keep running the old code.
    /// </summary>
    /// <remarks>
    /// The state machine of an async or iterator lambda or local function holds that lambda's code,
    /// so it counts as part of the lambda. Only the owner's own state machine does not (a change
    /// there is PG3005).
    /// </remarks>
    private static bool LambdaChanged(RenderedClosure b, RenderedClosure n)
    {
        var ownStateMachines = new[] { GeneratedCode.StateMachineOf(b.Owner)?.Type, GeneratedCode.StateMachineOf(n.Owner)?.Type };
        bool IsLambda(ClosureSection s) => s.Kind is ClosureSectionKind.Lambda or ClosureSectionKind.Closure
            || (s.Kind is ClosureSectionKind.StateMachine && !ownStateMachines.Contains(s.Member));
        var remaining = n.Sections.Where(IsLambda).Select(s => Convert.ToHexString(s.Hash)).ToList();
        foreach (var section in b.Sections.Where(IsLambda))
        {
            if (!remaining.Remove(Convert.ToHexString(section.Hash)))
                return true;
        }
        return false;
    }

    /// <summary>Locates the first line that differs between two closures rendered with line origins.</summary>
    /// <remarks>
    /// The first difference of the hashed text can lie before the edit: a forward branch over
    /// inserted code gets a new target index (an <c>if</c> several statements above the change),
    /// a new await changes the state dispatch at the top of <c>MoveNext</c>, and a new local or
    /// hoisted variable changes the <c>.locals</c> or <c>.field</c> header. So the texts are first
    /// compared as statements: instruction numbers, branch targets and handler bounds masked, those
    /// headers and the compiler's plumbing under hidden sequence points left out. Only when that
    /// finds nothing (the change is just a branch target, a declaration or generated code) is the
    /// exact text used. Lines are compared as they are read, in reused buffers, up to the first
    /// difference.
    /// </remarks>
    private static SourceLocation? FirstDifference(DiffContext context, RenderedClosure before, RenderedClosure after)
    {
        int line = FirstDifferingLine(new ClosureLines(before, context.BaseSource), new ClosureLines(after, context.NewSource))
            ?? FirstDifferingLine(new ClosureLines(before, null), new ClosureLines(after, null))
            ?? 0;
        return context.NewSource.ForClosureLine(after, line) ?? context.NewSource.ForMethod(after.Owner);
    }

    /// <summary>The index in the new text of the first pair of lines that differ, or null if none does.</summary>
    private static int? FirstDifferingLine(ClosureLines x, ClosureLines y)
    {
        int? lastY = null;
        while (true)
        {
            bool moreX = x.MoveNext(), moreY = y.MoveNext();
            if (moreX && moreY)
            {
                if (!x.Current.SequenceEqual(y.Current))
                    return y.Index;
                lastY = y.Index;
                continue;
            }
            if (moreY)
                return y.Index;
            // The new text is a prefix of the old one: the difference is past its end.
            return moreX ? (lastY is { } last ? last + 1 : 0) : null;
        }
    }

    /// <summary>
    /// Reads the lines of a closure rendered with origins: exactly, or (given the side's source
    /// locator) as statements, leaving out headers and hidden code and masking the numbers that
    /// shift with any insertion above them.
    /// </summary>
    private sealed class ClosureLines
    {
        private readonly ClosureText _text;
        private readonly (MethodDefinition Method, Instruction? Instruction)[] _origins;
        private readonly SourceLocator? _statementsOf;
        private char[] _buffer = new char[256];
        private int _length;
        private bool _exact;

        public ClosureLines(RenderedClosure closure, SourceLocator? statementsOf)
        {
            (_text, _origins, _statementsOf) = (closure.Text!, closure.Origins!, statementsOf);
            Index = -1;
        }

        /// <summary>The index of the current line in the closure's text.</summary>
        public int Index { get; private set; }

        public ReadOnlySpan<char> Current => _exact ? _text[Index] : _buffer.AsSpan(0, _length);

        public bool MoveNext()
        {
            while (++Index < _text.Count)
            {
                if (_statementsOf is null)
                {
                    _exact = true;
                    return true;
                }
                if (Statement(_text[Index], _origins[Index]))
                    return true;
            }
            return false;
        }

        /// <summary>Writes the line as a statement into the buffer; false if it is left out.</summary>
        private bool Statement(ReadOnlySpan<char> line, (MethodDefinition Method, Instruction? Instruction) origin)
        {
            _exact = false;
            _length = 0;
            if (line.StartsWith(".locals", StringComparison.Ordinal) || line.StartsWith(".field ", StringComparison.Ordinal) || line.StartsWith(".type ", StringComparison.Ordinal))
                return false;
            if (line.StartsWith(".try ", StringComparison.Ordinal))
            {
                // ".try 6-48 Catch 48-57 System.Exception": the bounds move with any insertion; the kind and type do not.
                Append(".try ");
                bool first = true;
                var words = line[5..];
                while (true)
                {
                    int space = words.IndexOf(' ');
                    var word = space < 0 ? words : words[..space];
                    if (!word.Contains('-') && !IsNumber(word))
                    {
                        if (!first)
                            Append(" ");
                        Append(word);
                        first = false;
                    }
                    if (space < 0)
                        break;
                    words = words[(space + 1)..];
                }
                return true;
            }

            var (method, instruction) = origin;
            if (instruction != null && _statementsOf!.IsHidden(method, instruction))
                return false;
            // Instruction numbers ("12 ") and branch targets ("->12", "->[3,7]") shift with any insertion above them.
            int start = 0;
            while (start < line.Length && char.IsAsciiDigit(line[start]))
                start++;
            start = start > 0 && start < line.Length && line[start] == ' ' ? start + 1 : 0;
            int i = start, copied = start;
            while (i + 1 < line.Length)
            {
                if (line[i] == '-' && line[i + 1] == '>' && TargetEnd(line, i + 2) is int end and > 0)
                {
                    Append(line[copied..i]);
                    Append("->?");
                    i = copied = end;
                }
                else
                {
                    i++;
                }
            }
            Append(line[copied..]);
            return true;
        }

        /// <summary>The end of a branch target (<c>12</c> or <c>[3,7]</c>) starting at <paramref name="at"/>, or -1.</summary>
        private static int TargetEnd(ReadOnlySpan<char> line, int at)
        {
            if (at >= line.Length)
                return -1;
            int i = at;
            if (line[i] == '[')
            {
                i++;
                while (i < line.Length && (char.IsAsciiDigit(line[i]) || line[i] == ','))
                    i++;
                return i < line.Length && line[i] == ']' ? i + 1 : -1;
            }
            while (i < line.Length && char.IsAsciiDigit(line[i]))
                i++;
            return i > at ? i : -1;
        }

        private void Append(ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }

        private static bool IsNumber(ReadOnlySpan<char> word) => word.Length > 0 && !word.ContainsAnyExceptInRange('0', '9');
    }

    private static IEnumerable<string> UnsupportedConstructs(DiffContext context, RenderedClosure closure)
    {
        var methods = new List<MethodDefinition> { closure.Owner };
        methods.AddRange(closure.GeneratedMethods);
        methods.AddRange(closure.GeneratedTypes.SelectMany(t => t.Methods));
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            if (method.CallingConvention == MethodCallingConvention.VarArg)
                found.Add("a variable argument list (__arglist)");
            if (!method.HasBody)
                continue;
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.OpCode.Code == Code.Jmp)
                    found.Add("the 'jmp' instruction");
                else if (instruction.OpCode.Code == Code.Arglist)
                    found.Add("a variable argument list (__arglist)");
                else if (instruction.Operand is MethodReference { CallingConvention: MethodCallingConvention.VarArg })
                    found.Add("a call with a variable argument list (__arglist)");
                else if (instruction.Operand is MethodReference { Name: ".ctor" } constructor && IsConstructorAddedToExistingType(context, constructor))
                    found.Add("the constructor " + CSharpName.Prototype(constructor.Resolve()) + ", which the fix adds to an existing type (a live type cannot gain one)");
            }
        }
        return found;
    }

    /// <summary>
    /// A constructor of a user type that the base also has, but with a parameter list the base's type
    /// lacks: the patch can ship new methods as static helpers, but <c>newobj</c> needs a constructor
    /// of the live type itself.
    /// </summary>
    private static bool IsConstructorAddedToExistingType(DiffContext context, MethodReference constructor)
    {
        if (constructor.DeclaringType.GetElementType() is not TypeDefinition type || type.Module != context.New.Module || !GeneratedCode.IsUserType(type))
            return false;
        var existing = context.Base.Module.GetType(type.FullName);
        if (existing is null)
            return false; // an added type: shipped whole, constructors included
        var definition = constructor.Resolve();
        if (definition is null || definition.IsStatic)
            return false;
        var parameters = definition.Parameters.Select(p => p.ParameterType.FullName).ToList();
        return !existing.Methods.Any(m => m.IsConstructor && !m.IsStatic && m.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(parameters));
    }
}
