using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>A property as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilProperty : BaselineProperty
{
    private readonly List<MethodDefinition> _accessors;
    private bool _accessorIdsRead;
    private string? _displayName;

    public CecilProperty(PropertyDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        Id = DocumentationId.ForProperty(definition);
        Name = definition.Name;
        Signature = (definition.HasThis ? "" : "static ") + renderer.TypeName(definition.PropertyType);
        _accessors = new[] { definition.GetMethod, definition.SetMethod }.Concat(definition.OtherMethods).OfType<MethodDefinition>().ToList();
        IsVirtual = _accessors.Any(a => a.IsVirtual);
        Attributes = MetadataText.Attributes(definition);
    }

    public PropertyDefinition Definition { get; }

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
        get => _displayName ??= CSharpName.Of(Definition);
        set => _displayName = value;
    }

    public override string PrototypeText(TextStyle style) => style switch
    {
        TextStyle.CSharp => CSharpPrototype(qualified: false),
        TextStyle.QualifiedCSharp => CSharpPrototype(qualified: true),
        _ => Signature,
    };

    private string CSharpPrototype(bool qualified)
        => (Definition.HasThis ? "" : "static ") + CSharpName.Type(Definition.PropertyType, qualified) + " " + CSharpName.Of(Definition, qualified);
}
