using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Methods of a type present in both builds. Methods are matched by documentation ID; an unmatched
/// pair with the same name is a signature change (PG1001, PG1002), otherwise a removal or an
/// addition. Matched methods are checked for prototype and dispatch changes, then their code is
/// compared as canonical closures (<see cref="ClosureRenderer"/>).
/// </summary>
internal static class MethodComparer
{
    private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";

    public static void Compare(DiffContext context, TypeDefinition b, TypeDefinition n, HashSet<MethodDefinition> accountedAccessors)
    {
        var before = UserMethods(b);
        var after = UserMethods(n);

        foreach (var (id, method) in after)
        {
            // Accessors of a property or event already reported as a whole are not compared again.
            if (before.TryGetValue(id, out var old) && !accountedAccessors.Contains(method) && !accountedAccessors.Contains(old))
                CompareMethod(context, old, method);
        }

        var removed = before.Where(p => !after.ContainsKey(p.Key) && !accountedAccessors.Contains(p.Value)).Select(p => p.Value).ToList();
        var added = after.Where(p => !before.ContainsKey(p.Key) && !accountedAccessors.Contains(p.Value)).Select(p => p.Value).ToList();

        // Same name on both sides: the signature of an existing method changed.
        foreach (var group in removed.GroupBy(m => m.Name).ToList())
        {
            var candidates = added.Where(m => m.Name == group.Key).ToList();
            foreach (var (old, method) in group.Zip(candidates))
            {
                var id = DocumentationId.ForMethod(old);
                var location = context.NewSource.ForSignature(method);
                if (old.GenericParameters.Count != method.GenericParameters.Count)
                    context.Report(DiagnosticCatalog.GenericsChanged, id, location, CSharpName.Method(old), "arity");
                else
                {
                    var (was, now) = SignatureTexts(context, old, method, CSharpName.Method(old));
                    context.Report(DiagnosticCatalog.SignatureChanged, id, location, was, now);
                }
                context.Change(id, ChangeKind.Changed);
                removed.Remove(old);
                added.Remove(method);
            }
        }

        foreach (var method in removed)
            ReportAddedOrRemoved(context, b, method, added: false);
        foreach (var method in added)
            ReportAddedOrRemoved(context, n, method, added: true);
    }

    private static SortedDictionary<string, MethodDefinition> UserMethods(TypeDefinition type)
    {
        var methods = new SortedDictionary<string, MethodDefinition>(StringComparer.Ordinal);
        foreach (var method in type.Methods)
        {
            if (GeneratedCode.IsUserMethod(method))
                methods[DocumentationId.ForMethod(method)] = method;
        }
        return methods;
    }

    private static void ReportAddedOrRemoved(DiffContext context, TypeDefinition type, MethodDefinition method, bool added)
    {
        var id = DiffContext.ReportedId(method);
        var location = added ? context.NewSource.ForSignature(method) : context.BaseSource.ForSignature(method);
        var name = CSharpName.Method(method);
        if (type.IsInterface)
            context.Report(DiagnosticCatalog.InterfaceMembersChanged, id, location, name, added ? "added to" : "removed from", CSharpName.Type(type));
        else if (method.IsVirtual)
            context.Report(DiagnosticCatalog.DispatchLayoutChanged, id, location, name, (method.IsAbstract ? "an abstract" : "a virtual") + " method was " + (added ? "added" : "removed"));
        else if (method.IsConstructor && method.IsStatic)
            context.Report(DiagnosticCatalog.StaticInitializerChanged, id, location, CSharpName.Type(type));
        else if (method.Name == GeneratedCode.RecordClone)
            return; // Reported with its record type.
        else
            context.Report(added ? DiagnosticCatalog.MemberAdded : DiagnosticCatalog.MemberRemoved, id, location, name);
        context.Change(id, added ? ChangeKind.Added : ChangeKind.Removed);
    }

    private static void CompareMethod(DiffContext context, MethodDefinition b, MethodDefinition n)
    {
        // The ID and C# name are needed only if something is reported, which for most methods of a
        // large assembly nothing is: made on demand, not as two strings per method.
        string? id = null, name = null;
        string Id() => id ??= DiffContext.ReportedId(n);
        string Name() => name ??= DiffContext.DisplayName(n);
        // Metadata diagnostics are about the declaration; body diagnostics locate their first difference.
        // Located only when something is reported: finding the declaration (sequence points, parsed
        // sources) for every unchanged method of a large assembly costs seconds.
        SourceLocation? location = null;
        bool located = false;
        bool changed = false;

        void Report(DiagnosticDescriptor descriptor, params object[] args)
        {
            if (!located)
                (location, located) = (context.NewSource.ForSignature(n), true);
            context.Report(descriptor, Id(), location, args);
            changed = true;
        }

        if (!SamePrototype(context, b, n))
        {
            var (was, now) = SignatureTexts(context, b, n, Name());
            Report(DiagnosticCatalog.SignatureChanged, was, now);
        }

        if (GenericConstraints.Describe(context.BaseRenderer, b, context.NewRenderer, n) is { } generics)
            Report(DiagnosticCatalog.GenericsChanged, Name(), generics);

        if (Dispatch(context, b) != Dispatch(context, n))
            Report(DiagnosticCatalog.DispatchLayoutChanged, Name(), $"dispatch changed from {DispatchText(b)} to {DispatchText(n)}");

        if (!b.HasBody || !n.HasBody)
        {
            if (MetadataText.NoBody(b) != MetadataText.NoBody(n))
                Report(DiagnosticCatalog.NoBodyToReplace, Name(), NoBodyKind(n.HasBody ? b : n));
        }

        if (MetadataText.Accessibility(b) != MetadataText.Accessibility(n))
            Report(DiagnosticCatalog.AccessibilityChanged, Name(), MetadataText.Accessibility(b), MetadataText.Accessibility(n));

        var attributes = MetadataText.Describe(MetadataText.AttributesOfMethod(b), MetadataText.AttributesOfMethod(n));
        if (b.HasBody && n.HasBody && b.ImplAttributes != n.ImplAttributes)
            attributes = (attributes is null ? "" : attributes + ", ") + MethodImplChange(b.ImplAttributes, n.ImplAttributes);
        if (attributes != null)
            Report(DiagnosticCatalog.AttributesChanged, Name(), attributes);

        foreach (var (pb, pn) in b.Parameters.Zip(n.Parameters))
        {
            var (oldDefault, newDefault) = (pb.HasConstant ? pb.Constant : NoDefault, pn.HasConstant ? pn.Constant : NoDefault);
            if (!MetadataText.SameConstant(oldDefault, newDefault))
            {
                Report(DiagnosticCatalog.ConstantChanged, $"the default value of parameter '{pn.Name}' of {Name()}",
                    oldDefault == NoDefault ? "none" : MetadataText.Constant(oldDefault), newDefault == NoDefault ? "none" : MetadataText.Constant(newDefault));
            }
        }

        if (changed)
            context.Change(Id(), ChangeKind.Changed);

        if (b.HasBody && n.HasBody)
            CompareBodies(context, b, n, Id, Name);
    }

    private static readonly object NoDefault = new();

    /// <summary>
    /// MethodImpl flags as C# writes them, in the style of the attribute list: <c>+MethodImpl(NoInlining)</c>.
    /// (The flags' own ToString says "IL became NoInlining", IL being the zero code type.)
    /// </summary>
    private static string MethodImplChange(MethodImplAttributes before, MethodImplAttributes after)
    {
        var parts = new List<string>();
        if ((before & MethodImplAttributes.CodeTypeMask) != (after & MethodImplAttributes.CodeTypeMask))
            parts.Add($"code type {before & MethodImplAttributes.CodeTypeMask} became {after & MethodImplAttributes.CodeTypeMask}");
        foreach (var flag in Enum.GetValues<MethodImplAttributes>().Where(f => f != 0 && (f & MethodImplAttributes.CodeTypeMask) == 0 && ((int)f & ((int)f - 1)) == 0).Distinct())
        {
            if (after.HasFlag(flag) && !before.HasFlag(flag))
                parts.Add("+MethodImpl(" + flag + ")");
            else if (before.HasFlag(flag) && !after.HasFlag(flag))
                parts.Add("-MethodImpl(" + flag + ")");
        }
        return string.Join(", ", parts);
    }

    private static void CompareBodies(DiffContext context, MethodDefinition b, MethodDefinition n, Func<string> idOf, Func<string> nameOf)
    {
        // Unchanged methods, nearly all of them, are settled by comparing canonical texts (see RendersSameAs).
        if (context.BaseRenderer.RendersSameAs(b, context.NewRenderer, n))
            return;
        var (id, name) = (idOf(), nameOf());

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

    /// <summary>
    /// The two sides of a PG1001 message: the old method's name and the new prototype in C#. When both
    /// prototypes read the same in C# (a type moved to another namespace, as Roslyn's <c>OneOrMany</c>
    /// did between 4.14 and 5.0, or only a custom modifier changed), the message would say "X changed
    /// to X"; then both are written namespace-qualified, or failing that as metadata prototypes.
    /// </summary>
    private static (string Was, string Now) SignatureTexts(DiffContext context, MethodDefinition b, MethodDefinition n, string name)
    {
        if (CSharpName.Prototype(b) != CSharpName.Prototype(n))
            return (name, CSharpName.Prototype(n));
        var (was, now) = (CSharpName.Prototype(b, qualified: true), CSharpName.Prototype(n, qualified: true));
        if (was != now)
            return (was, now);
        return (name + " [" + Prototype(context.BaseRenderer, b) + "]", CSharpName.Prototype(n) + " [" + Prototype(context.NewRenderer, n) + "]");
    }

    [ThreadStatic]
    private static StringBuilder? s_basePrototype, s_newPrototype;

    /// <summary>
    /// Compares the <see cref="Prototype"/> texts of every matched pair in two reused buffers: the
    /// same comparison, without two strings per method.
    /// </summary>
    private static bool SamePrototype(DiffContext context, MethodDefinition b, MethodDefinition n)
    {
        var (x, y) = (s_basePrototype ??= new(), s_newPrototype ??= new());
        x.Clear();
        y.Clear();
        AppendPrototype(context.BaseRenderer, b, x);
        AppendPrototype(context.NewRenderer, n, y);
        return x.Equals(y);
    }

    /// <summary>Everything a caller's call site depends on: static or instance, return type, parameter types, ref kinds, custom modifiers.</summary>
    private static string Prototype(ClosureRenderer renderer, MethodDefinition method)
    {
        var builder = new StringBuilder();
        AppendPrototype(renderer, method, builder);
        return builder.ToString();
    }

    private static void AppendPrototype(ClosureRenderer renderer, MethodDefinition method, StringBuilder builder)
    {
        builder.Append(method.IsStatic ? "static " : "instance ").Append(method.CallingConvention.ToString()).Append(' ');
        renderer.AppendTypeName(method.ReturnType, builder);
        builder.Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            var p = method.Parameters[i];
            if (i > 0)
                builder.Append(',');
            renderer.AppendTypeName(p.ParameterType, builder);
            builder.Append(p.IsOut ? " out" : "").Append(p.IsIn ? " in" : "");
        }
        builder.Append(')');
    }

    private static string Dispatch(DiffContext context, MethodDefinition method)
    {
        var renderer = method.Module == context.Base.Module ? context.BaseRenderer : context.NewRenderer;
        return DispatchText(method) + " overrides=" + string.Join(",", method.Overrides.Select(o => renderer.TypeName(o.DeclaringType) + "::" + o.Name).OrderBy(s => s, StringComparer.Ordinal));
    }

    private static string DispatchText(MethodDefinition method)
    {
        if (!method.IsVirtual)
            return "non-virtual";
        var parts = new List<string>();
        if (method.IsAbstract)
            parts.Add("abstract");
        else
            parts.Add("virtual");
        if (method.IsFinal)
            parts.Add("sealed");
        parts.Add(method.IsNewSlot ? "new slot" : "override");
        return string.Join(" ", parts);
    }

    private static string NoBodyKind(MethodDefinition method)
    {
        if (method.IsPInvokeImpl)
            return "a P/Invoke";
        if (method.IsRuntime)
            return "runtime-implemented";
        if (method.IsInternalCall)
            return "an internal call";
        if (method.IsAbstract)
            return "abstract";
        return "extern";
    }
}
