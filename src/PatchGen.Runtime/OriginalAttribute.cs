namespace PatchGen.Runtime;

/// <summary>
/// On a static method of a patch: a copy of the original body of the method it names (by documentation
/// comment ID), with the signature of its replacement. While the patch's transition is being certified,
/// threads still in the generation before it run this copy: the instrumented method itself cannot run its
/// own body while its slot is set (docs/patch-sites.md). <c>patchgen build</c> writes it for every method it
/// replaces; a patch written by hand must carry one too.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OriginalAttribute : Attribute
{
    public OriginalAttribute(string documentationId)
    {
        DocumentationId = documentationId;
    }

    /// <summary>The method whose original body this is, for example <c>M:Shop.Cart.Total(System.Int32)</c>.</summary>
    public string DocumentationId { get; }

    /// <summary>The base that declares the method, as <see cref="ReplacesAttribute.Assembly"/>; null for the base <see cref="PatchAttribute"/> names.</summary>
    public string? Assembly { get; set; }
}
