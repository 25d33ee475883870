using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>
/// What a property and an event share as the diff engine compares them (see <see cref="CecilType"/>):
/// both are a <see cref="BaselineProperty"/> of the model whose accessors' IDs are made only when the
/// rules account for them, and whose names are written only when a finding needs them.
/// </summary>
internal abstract class CecilAccessorMember : BaselineProperty
{
    private readonly List<MethodDefinition> _accessors;
    private bool _accessorIdsRead;
    private string? _displayName;

    protected CecilAccessorMember(IEnumerable<MethodDefinition?> accessors)
    {
        _accessors = accessors.OfType<MethodDefinition>().ToList();
        IsVirtual = _accessors.Any(a => a.IsVirtual);
    }

    /// <summary>Documentation IDs of the accessors, made when the rules account for them (a whole member added, removed or re-signed).</summary>
    public override List<string> Accessors
    {
        get
        {
            if (!_accessorIdsRead)
            {
                _accessorIdsRead = true;
                base.Accessors.AddRange(_accessors.Select(DocumentationId.ForMethod));
            }
            return base.Accessors;
        }
    }

    public override string DisplayName
    {
        get => _displayName ??= CSharpDisplayName();
        set => _displayName = value;
    }

    public override string PrototypeText(TextStyle style) => style switch
    {
        TextStyle.CSharp => CSharpPrototype(qualified: false),
        TextStyle.QualifiedCSharp => CSharpPrototype(qualified: true),
        _ => Signature,
    };

    protected abstract string CSharpDisplayName();

    protected abstract string CSharpPrototype(bool qualified);
}
