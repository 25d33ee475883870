using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Writes the IL of one method body as canonical lines: locals, one line per instruction (numbered
/// by <see cref="InstructionNumbers"/>, written by <see cref="InstructionWriter"/>), exception handlers.
/// </summary>
internal sealed class BodyWriter
{
    private readonly ClosureNames _names;
    private readonly ClosureTextWriter _out;
    private readonly InstructionWriter _instructions;

    public BodyWriter(ClosureNames names, ClosureTextWriter output)
    {
        _names = names;
        _out = output;
        _instructions = new InstructionWriter(names, output);
    }

    private StringBuilder Text => _out.Text;

    /// <summary>Writes each instruction (and tells what an operand is written as: <see cref="InstructionWriter.TextOf"/>).</summary>
    public InstructionWriter Instructions => _instructions;

    /// <summary>
    /// Extended model, new build: the added static fields whose initializers a static constructor's
    /// text leaves out, with its <c>const decimal</c> stores (null: only those).
    /// </summary>
    public StaticInitialization.AddedStaticFields? AddedStatics { get; set; }

    public void Write(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            // Import data too: a local extern function's DllImport (the private P/Invoke inside a
            // LibraryImport stub) is generated code of its owner, and its library or entry point
            // can change while the owner's IL stays the same.
            Text.Append(".nobody ").Append(MetadataText.NoBody(method));
            _out.EndLine(ClosureLineKind.NoBody, method, null);
            return;
        }

        var body = method.Body;
        var instructions = body.Instructions;
        var skipped = !(method.IsConstructor && method.IsStatic) ? null
            : AddedStatics is { } added ? added.Skipped(method) : GeneratedCode.DecimalConstantInitialization(body);
        var numbers = new InstructionNumbers(instructions, skipped);

        if (body.HasVariables)
        {
            Text.Append(".locals").Append(body.InitLocals ? " init " : " ");
            for (int i = 0; i < body.Variables.Count; i++)
            {
                if (i > 0)
                    Text.Append(',');
                _names.AppendType(body.Variables[i].VariableType, Text);
            }
            _out.EndLine(ClosureLineKind.Locals, method, null);
        }

        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (skipped != null && skipped.Contains(instruction))
                continue;
            int start = Text.Length;
            Text.Append(numbers.NumberAt(i)).Append(' ');
            _out.Mark(ClosureTokenKind.InstructionNumber, start);
            _instructions.Write(method, instruction, numbers);
            _out.EndLine(ClosureLineKind.Instruction, method, instruction);
        }

        foreach (var handler in body.ExceptionHandlers)
            WriteHandler(method, handler, numbers);
    }

    /// <summary><c>.try 6-48 Catch 48-57 System.Exception</c>, or <c>... filter 30</c>.</summary>
    private void WriteHandler(MethodDefinition method, ExceptionHandler handler, InstructionNumbers numbers)
    {
        Text.Append(".try ");
        int start = Text.Length;
        Text.Append(numbers.OfBoundary(handler.TryStart)).Append('-').Append(numbers.OfBoundary(handler.TryEnd)).Append(' ');
        _out.Mark(ClosureTokenKind.HandlerBounds, start);
        Text.Append(handler.HandlerType.ToString());
        start = Text.Length;
        Text.Append(' ').Append(numbers.OfBoundary(handler.HandlerStart)).Append('-').Append(numbers.OfBoundary(handler.HandlerEnd));
        _out.Mark(ClosureTokenKind.HandlerBounds, start);
        if (handler.CatchType is not null)
            _names.AppendType(handler.CatchType, Text.Append(' '));
        if (handler.FilterStart is not null)
        {
            Text.Append(" filter");
            start = Text.Length;
            Text.Append(' ').Append(numbers.OfBoundary(handler.FilterStart));
            _out.Mark(ClosureTokenKind.HandlerBounds, start);
        }
        _out.EndLine(ClosureLineKind.Handler, method, handler.HandlerStart);
    }

}
