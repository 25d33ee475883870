using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Settles that a method of the base build and its match in the new one render to the same closure text without
/// rendering either, for the common case of a body that names no compiler-generated member (no lambda, closure or
/// state machine, so its closure is that body alone): same instructions one by one (the exact opcode gives the same
/// long form and implied operand), same operands, same handlers and locals. A type, method or field operand is
/// compared by the text it is written as, once per pair of metadata tokens: the text depends only on the token's row
/// (see <see cref="InstructionWriter"/>), and most of a large assembly's calls go to a few thousand members, so
/// nearly every operand costs one lookup instead of its text written twice.
/// </summary>
/// <remarks>
/// Exact where it says "alike": the texts are equal. Anything it does not compare exactly (a static constructor, whose
/// text leaves instructions out; a generated member; a reference without a token; an unusual operand) is "not known",
/// and the caller renders both closures and compares their texts. "Not alike" only spares that comparison: the
/// caller renders both anyway, to hash them and locate the difference, and the hashes have the last word. Before 15.6 every matched method was rendered twice and its texts compared,
/// which was a quarter of a cold diff's comparison.
/// </remarks>
internal sealed class UnchangedBodies
{
    private readonly ClosureRenderer _base;
    private readonly ClosureRenderer _new;

    // By (base token, new token): whether the two are written alike (null: not known, one names a generated member).
    private readonly Dictionary<(uint Base, uint New), bool?> _operands = new();
    private readonly Dictionary<(uint Base, uint New), bool?> _locals = new();

    // Whether the comparison under way met something it cannot tell: then a difference found is no verdict.
    private bool _unknown;

    public UnchangedBodies(ClosureRenderer @base, ClosureRenderer @new)
    {
        _base = @base;
        _new = @new;
    }

    /// <summary>Whether the closures of <paramref name="b"/> (base) and <paramref name="n"/> (new) render alike.</summary>
    /// <returns>
    /// True if they do; false if a difference was found before anything this cannot tell (the caller then renders
    /// both to hash them and locate it: the hashes have the last word); null if this cannot tell.
    /// </returns>
    public bool? Compare(MethodDefinition b, MethodDefinition n)
    {
        // A static constructor's text can leave instructions out (GeneratedCode.DecimalConstantInitialization, added statics).
        if (!b.HasBody || !n.HasBody || b.IsConstructor && b.IsStatic || n.IsConstructor && n.IsStatic)
            return null;
        _unknown = false;
        bool alike = b.HasThis == n.HasThis && BodiesAlike(b.Body, n.Body);
        // Asking for operand texts may have numbered generated members; a walk of these closures would have left
        // the IDs cleared and none given.
        _base.ForgetIds();
        _new.ForgetIds();
        return alike ? true : _unknown ? null : false;
    }

    private bool BodiesAlike(MethodBody x, MethodBody y)
    {
        var (xs, ys) = (x.Instructions, y.Instructions);
        if (xs.Count != ys.Count || x.HasVariables != y.HasVariables || x.HasVariables && !LocalsAlike(x, y))
            return false;
        var (xNumbers, yNumbers) = (new InstructionNumbers(xs, null), new InstructionNumbers(ys, null));
        for (int i = 0; i < xs.Count; i++)
        {
            Instruction a = xs[i], c = ys[i];
            if (a.OpCode.Code != c.OpCode.Code || !OperandsAlike(a.Operand, c.Operand, xNumbers, yNumbers))
                return false;
        }
        return HandlersAlike(x, y, xNumbers, yNumbers);
    }

    private bool OperandsAlike(object? a, object? b, InstructionNumbers xNumbers, InstructionNumbers yNumbers)
    {
        switch (a)
        {
            case null:
                return b is null;
            case MemberReference member:
                return b is MemberReference other && MembersAlike(member, other);
            case Instruction target:
                return b is Instruction otherTarget && xNumbers.Of(target) == yNumbers.Of(otherTarget);
            case VariableDefinition variable:
                return b is VariableDefinition otherVariable && variable.Index == otherVariable.Index;
            case ParameterDefinition parameter:
                return b is ParameterDefinition otherParameter && parameter.Index == otherParameter.Index;
            case string s:
                return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case int i:
                return b is int j && i == j;
            case sbyte sb:
                return b is sbyte otherSb && sb == otherSb;
            case byte by:
                return b is byte otherBy && by == otherBy;
            case long l:
                return b is long otherL && l == otherL;
            // By bits, as written (NaNs of other payloads are other texts).
            case float f:
                return b is float g && BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(g);
            case double d:
                return b is double e && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(e);
            case Instruction[] targets:
                if (b is not Instruction[] others || others.Length != targets.Length)
                    return false;
                for (int i = 0; i < targets.Length; i++)
                {
                    if (xNumbers.Of(targets[i]) != yNumbers.Of(others[i]))
                        return false;
                }
                return true;
            default:
                return Unknown(); // a call site signature (calli) and the like: rare, left to rendering
        }
    }

    private bool HandlersAlike(MethodBody x, MethodBody y, InstructionNumbers xNumbers, InstructionNumbers yNumbers)
    {
        if (x.HasExceptionHandlers != y.HasExceptionHandlers)
            return false;
        if (!x.HasExceptionHandlers)
            return true;
        var (xs, ys) = (x.ExceptionHandlers, y.ExceptionHandlers);
        if (xs.Count != ys.Count)
            return false;
        for (int i = 0; i < xs.Count; i++)
        {
            ExceptionHandler a = xs[i], b = ys[i];
            if (a.HandlerType != b.HandlerType
                || !BoundsAlike(a.TryStart, b.TryStart, xNumbers, yNumbers) || !BoundsAlike(a.TryEnd, b.TryEnd, xNumbers, yNumbers)
                || !BoundsAlike(a.HandlerStart, b.HandlerStart, xNumbers, yNumbers) || !BoundsAlike(a.HandlerEnd, b.HandlerEnd, xNumbers, yNumbers)
                || !BoundsAlike(a.FilterStart, b.FilterStart, xNumbers, yNumbers))
                return false;
            if (a.CatchType is null != b.CatchType is null || a.CatchType is { } catchType && !MembersAlike(catchType, b.CatchType!))
                return false;
        }
        return true;
    }

    /// <summary>A handler boundary: an instruction by its number, or none (the end of the body, or no filter).</summary>
    private static bool BoundsAlike(Instruction? a, Instruction? b, InstructionNumbers xNumbers, InstructionNumbers yNumbers)
        => a is null ? b is null : b is not null && xNumbers.Of(a) == yNumbers.Of(b);

    /// <summary>
    /// The <c>.locals</c> line: <c>init</c> and each local's type. Locals signatures are shared by many methods (the
    /// compiler writes each distinct one once), so they are compared once per pair of signature tokens.
    /// </summary>
    private bool LocalsAlike(MethodBody x, MethodBody y)
    {
        if (x.InitLocals != y.InitLocals || x.Variables.Count != y.Variables.Count)
            return false;
        // A body changed after reading (an undone instrumentation) may have no signature token: compared each time.
        bool cacheable = x.LocalVarToken.RID != 0 && y.LocalVarToken.RID != 0;
        var key = (x.LocalVarToken.ToUInt32(), y.LocalVarToken.ToUInt32());
        if (!cacheable || !_locals.TryGetValue(key, out bool? alike))
        {
            alike = true;
            for (int i = 0; i < x.Variables.Count && alike == true; i++)
                alike = TextsAlike(x.Variables[i].VariableType, y.Variables[i].VariableType);
            if (cacheable)
                _locals.Add(key, alike);
        }
        return alike ?? Unknown();
    }

    private bool MembersAlike(MemberReference a, MemberReference b)
    {
        // A reference made after reading (row 0) has no token to be known by.
        if (a.MetadataToken.RID == 0 || b.MetadataToken.RID == 0)
            return Unknown();
        var key = (a.MetadataToken.ToUInt32(), b.MetadataToken.ToUInt32());
        if (!_operands.TryGetValue(key, out bool? alike))
        {
            alike = TextsAlike(a, b);
            _operands.Add(key, alike);
        }
        return alike ?? Unknown();
    }

    /// <summary>Whether the two are written alike; null if either names a generated member (its ID depends on the closure).</summary>
    private bool? TextsAlike(MemberReference a, MemberReference b)
        => _base.OperandText(a) is { } x && _new.OperandText(b) is { } y ? string.Equals(x, y, StringComparison.Ordinal) : null;

    /// <summary>Something this cannot compare: not alike, and no verdict either.</summary>
    private bool Unknown()
    {
        _unknown = true;
        return false;
    }
}
