using System.Globalization;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace PatchGen.Diff.Closures;

/// <summary>
/// The numbers instructions are rendered with: their positions in the body, except in a static
/// constructor whose <c>const decimal</c> stores are left out of the text
/// (<see cref="GeneratedCode.DecimalConstantInitialization"/>). There the kept instructions are
/// numbered in order and a skipped one takes the number of the next kept one, so branch targets
/// stay valid.
/// </summary>
internal readonly struct InstructionNumbers
{
    private readonly Collection<Instruction> _instructions;
    private readonly int[]? _numbers;

    public InstructionNumbers(Collection<Instruction> instructions, HashSet<Instruction>? skipped)
    {
        _instructions = instructions;
        if (skipped is null)
            return;
        _numbers = new int[instructions.Count];
        int kept = 0;
        for (int i = 0; i < instructions.Count; i++)
        {
            _numbers[i] = kept;
            if (!skipped.Contains(instructions[i]))
                kept++;
        }
    }

    /// <summary>The number of the instruction at position <paramref name="position"/>.</summary>
    public int NumberAt(int position) => _numbers is null ? position : _numbers[position];

    /// <summary>The number of a branch target or handler boundary.</summary>
    public int Of(Instruction target) => NumberAt(IndexOf(_instructions, target));

    /// <summary>The number of a handler boundary, or <c>end</c> past the last instruction.</summary>
    public string OfBoundary(Instruction? instruction)
        => instruction is null ? "end" : Of(instruction).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The position of a branch target or handler boundary in its body, by binary search on the
    /// offsets Cecil gave the instructions in order: no per-body dictionary to build (and hash every
    /// instruction into) for the few lookups a body needs.
    /// </summary>
    private static int IndexOf(Collection<Instruction> instructions, Instruction target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int low = 0, high = instructions.Count - 1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            var at = instructions[middle];
            if (at.Offset < target.Offset)
                low = middle + 1;
            else if (at.Offset > target.Offset)
                high = middle - 1;
            else if (ReferenceEquals(at, target))
                return middle;
            else
                break;
        }
        throw new KeyNotFoundException("branch target IL_" + target.Offset.ToString("x4", CultureInfo.InvariantCulture) + " is not an instruction of this body");
    }
}
