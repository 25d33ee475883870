namespace PatchGen.Diff.Closures;

/// <summary>What a marked span of a canonical closure line is: the parts that change meaning with context.</summary>
internal enum ClosureTokenKind
{
    /// <summary><c>#12</c>: a generated member's ID, numbered across the whole closure.</summary>
    GeneratedId,

    /// <summary><c>12 </c>: an instruction's number and the space after it; shifts with any insertion above.</summary>
    InstructionNumber,

    /// <summary><c>->12</c> or <c>->[3,7]</c>: branch targets; shift with any insertion above them.</summary>
    BranchTarget,

    /// <summary><c>6-48 </c>, <c> 48-57</c>, <c> 12</c>: a handler's bounds, with the space that separates them; shift likewise.</summary>
    HandlerBounds,
}
