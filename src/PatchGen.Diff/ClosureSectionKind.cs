namespace PatchGen.Diff;

/// <summary>
/// What a piece of a closure is: the owner's own body, a lambda or local function (also a method of
/// a closure class), the shape of a closure class (header and fields), a state machine (whole).
/// </summary>
internal enum ClosureSectionKind
{
    Owner,
    Lambda,
    Closure,
    StateMachine,
}
