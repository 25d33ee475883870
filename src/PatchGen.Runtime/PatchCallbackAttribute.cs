namespace PatchGen.Runtime;

/// <summary>On a static, parameterless, void method of a patch: run it at the given point.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PatchCallbackAttribute : Attribute
{
    public PatchCallbackAttribute(PatchCallbackKind kind) => Kind = kind;

    /// <summary>When the callback runs.</summary>
    public PatchCallbackKind Kind { get; }
}
