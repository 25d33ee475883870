namespace PatchGen.Runtime;

/// <summary>
/// On a static method of a patch: the method it replaces, by documentation comment ID. The replacement
/// takes the original's <c>this</c> as its first parameter (by reference for a struct) followed by the
/// original's parameters; a generic replacement takes the declaring type's generic parameters, then the
/// method's.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReplacesAttribute : Attribute
{
    public ReplacesAttribute(string documentationId)
    {
        DocumentationId = documentationId;
    }

    /// <summary>The replaced method, for example <c>M:Shop.Cart.Total(System.Int32)</c>.</summary>
    public string DocumentationId { get; }

    /// <summary>
    /// The replaced method's site number in the base, when the emitter knew it (-1 otherwise); the
    /// runtime checks that it agrees with <see cref="DocumentationId"/>.
    /// </summary>
    public int Site { get; set; } = -1;

    /// <summary>
    /// The simple name of the base that declares the replaced method, in a patch of several bases
    /// (format 2); null for the base <see cref="PatchAttribute"/> names.
    /// </summary>
    public string? Assembly { get; set; }
}
