using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Diff.Closures;
using PatchGen.Diff.Lambdas;

namespace PatchGen.Diff;

/// <summary>
/// The IL of a method present in both builds (its shape is the rules' business, PatchGen.Rules):
/// its code is compared as canonical closures (<see cref="ClosureRenderer"/>), and a difference is a
/// body change, with what it means for a static or instance constructor (PG2004, PG3004), a state
/// machine (PG3005), a lambda (PG3006; or a lambda replaced in place, <see cref="LambdaMatcher"/>), a
/// LibraryImport stub (PG1006) or a construct the patch emitter cannot reproduce (PG0008). (An
/// auto-property accessor given a body, which has no site to replace it through, is a shape rule:
/// PG2008, PatchGen.Rules.)
/// </summary>
internal static class MethodBodyComparer
{
    private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";

    /// <param name="id">The ID findings are reported under.</param>
    /// <param name="shape">The new method as the rules read it, which names it in messages.</param>
    public static void Compare(DiffContext context, MethodDefinition b, MethodDefinition n, string id, BaselineMethod shape)
    {
        // Unchanged methods, nearly all of them, are settled by comparing their code operand by operand where that
        // is exact (UnchangedBodies), else by comparing canonical texts (see RendersSameAs); a method found to differ
        // goes straight to being rendered with its structure, hashed and located.
        if (context.SameCodeAhead?.Alike(b, n) == true)
        {
            // Settled on the other thread (Closures.SameCodeAhead); what the check here would leave: no IDs given.
            context.BaseRenderer.ForgetIds();
            context.NewRenderer.ForgetIds();
            return;
        }
        var alike = context.UnchangedBodies.Compare(b, n);
        if (alike == true || alike is null && context.BaseRenderer.RendersSameAs(b, context.NewRenderer, n))
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
        var lambdas = LambdaMatcher.Match(baseClosure, newClosure);
        context.ChangedMethods.Add(new ChangedMethod(b, n, baseClosure, newClosure, lambdas));
        // A static constructor's lambdas are not replaced: it is rejected whole (PG2004).
        bool staticConstructor = n.IsConstructor && n.IsStatic;
        if (!staticConstructor)
        {
            foreach (var pair in lambdas.InPlace)
                context.ReplaceInPlace(id, pair, lambdas.OwnerReplaced);
        }

        // A static constructor cannot be replaced at all; what only concerns the owner's own running
        // code (a constructor's objects, an async method's instances, a function that never returns)
        // is said only when the owner is replaced, not when just lambdas it owns are.
        if (staticConstructor)
            context.Report(DiagnosticCatalog.StaticInitializerChanged, id, location, CSharpName.Type(n.DeclaringType));
        else if (n.IsConstructor && lambdas.OwnerReplaced)
            context.Report(DiagnosticCatalog.ConstructorChanged, id, location, name);

        if (lambdas.OwnerReplaced && (GeneratedCode.StateMachineOf(n) ?? GeneratedCode.StateMachineOf(b)) is { } stateMachine)
            context.Report(DiagnosticCatalog.StateMachineChanged, id, location, name, StateMachineKind(stateMachine.Kind));
        // An async or iterator lambda replaced in place: its instances in flight finish on the old code.
        foreach (var pair in staticConstructor ? [] : lambdas.InPlace)
        {
            if (GeneratedCode.StateMachineOf(pair.New) is { } lambdaMachine)
                context.Report(DiagnosticCatalog.StateMachineChanged, id, location, LambdaNames.Describe(context, pair.New, withKind: false) + " in " + name, StateMachineKind(lambdaMachine.Kind));
        }

        if (lambdas.Unmatched)
            context.Report(DiagnosticCatalog.LambdaChanged, id, location, name);

        if (lambdas.OwnerReplaced && LifetimeFunction.Why(n) is { } lifetime)
            context.Report(DiagnosticCatalog.LifetimeFunctionChanged, id, location, name, lifetime);

        if (n.IsPInvokeImpl || n.CustomAttributes.Any(a => a.AttributeType.FullName == LibraryImport))
            context.Report(DiagnosticCatalog.NoBodyToReplace, id, location, name, "a LibraryImport stub");

        foreach (var construct in UnsupportedConstructs(context, newClosure))
            context.Report(DiagnosticCatalog.UnsupportedConstruct, id, location, name, construct);
    }

    private static string StateMachineKind(string kind) => kind == "async" ? "async" : kind == "iterator" ? "iterator" : "async iterator";

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
        int line = FirstDifferingLine(new ClosureLineReader(before, context.BaseSource), new ClosureLineReader(after, context.NewSource))
            ?? FirstDifferingLine(new ClosureLineReader(before, null), new ClosureLineReader(after, null))
            ?? 0;
        return context.NewSource.ForClosureLine(after, line) ?? context.NewSource.ForMethod(after.Owner);
    }

    /// <summary>The index in the new text of the first pair of lines that differ, or null if none does.</summary>
    private static int? FirstDifferingLine(ClosureLineReader x, ClosureLineReader y)
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
