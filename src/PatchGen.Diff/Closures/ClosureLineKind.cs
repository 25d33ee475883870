namespace PatchGen.Diff.Closures;

/// <summary>What a line of a canonical closure text is.</summary>
internal enum ClosureLineKind
{
    /// <summary><c>.locals init T1,T2</c>: a body's local variables.</summary>
    Locals,

    /// <summary><c>12 call ...</c>: one instruction, by its number.</summary>
    Instruction,

    /// <summary><c>.try 6-48 Catch 48-57 System.Exception</c>: an exception handler.</summary>
    Handler,

    /// <summary><c>.nobody pinvoke ...</c>: a method without IL, by what stands in for it.</summary>
    NoBody,

    /// <summary><c>.type #2 class base=... generic=0 implements=...</c>: a generated type's header.</summary>
    TypeHeader,

    /// <summary><c>.field #3 T</c>: a field of a generated type.</summary>
    Field,

    /// <summary><c>.method #4 instance T(A)</c>: a method of a generated type, before its body.</summary>
    MethodHeader,

    /// <summary><c>.lambda #5 T(A)</c>: a lambda or local function rendered on its own, before its body.</summary>
    LambdaHeader,
}
