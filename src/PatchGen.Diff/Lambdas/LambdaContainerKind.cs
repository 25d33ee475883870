namespace PatchGen.Diff.Lambdas;

/// <summary>Where the compiler put a lambda or local function's method.</summary>
internal enum LambdaContainerKind
{
    /// <summary>The user type itself: a lambda that captures only <c>this</c>, a local function that captures nothing or takes its closure by reference.</summary>
    UserType,

    /// <summary><c>&lt;&gt;c</c>, the singleton that holds a type's lambdas that capture nothing (its instance is only a delegate target).</summary>
    LambdaCache,

    /// <summary>A closure class or struct (<c>&lt;&gt;c__DisplayClass</c>, or a generic method's <c>&lt;&gt;c__N</c>), whose instances hold captured variables.</summary>
    Closure,
}
