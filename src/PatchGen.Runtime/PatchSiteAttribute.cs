namespace PatchGen.Runtime;

/// <summary>
/// Put by the instrumenter on every method that has a patch site: its site number within the assembly
/// and the delegate type the dispatch path invokes (an open generic type for generic sites). The runtime
/// reads it only for the methods a patch replaces.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, AllowMultiple = false, Inherited = false)]
public sealed class PatchSiteAttribute : Attribute
{
    public PatchSiteAttribute(int site, Type dispatchDelegate)
    {
        Site = site;
        DispatchDelegate = dispatchDelegate;
    }

    /// <summary>The site number within its assembly (0-based).</summary>
    public int Site { get; }

    /// <summary>
    /// The delegate type of the dispatch path: parameters are the explicit <c>this</c> (by reference
    /// for a struct), then the method's parameters; generic parameters are the declaring type's, then
    /// the method's.
    /// </summary>
    public Type DispatchDelegate { get; }
}
