using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>A property as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilProperty : BaselineProperty
{
    private string? _displayName;

    public CecilProperty(PropertyDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        Id = DocumentationId.ForProperty(definition);
        Name = definition.Name;
        Signature = (definition.HasThis ? "" : "static ") + renderer.TypeName(definition.PropertyType);
        var accessors = new[] { definition.GetMethod, definition.SetMethod }.Concat(definition.OtherMethods).OfType<MethodDefinition>().ToList();
        IsVirtual = accessors.Any(a => a.IsVirtual);
        Accessors.AddRange(accessors.Select(DocumentationId.ForMethod));
        Attributes = MetadataText.Attributes(definition);
    }

    public PropertyDefinition Definition { get; }

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
