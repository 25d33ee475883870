using Mono.Cecil;

namespace PatchGen.Diff.Shape;

/// <summary>A property as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilProperty : CecilAccessorMember
{
    public CecilProperty(PropertyDefinition definition, ClosureRenderer renderer)
        : base(new[] { definition.GetMethod, definition.SetMethod }.Concat(definition.OtherMethods))
    {
        Definition = definition;
        Id = DocumentationId.ForProperty(definition);
        Name = definition.Name;
        Signature = (definition.HasThis ? "" : "static ") + renderer.TypeName(definition.PropertyType);
        Attributes = MetadataText.Attributes(definition);
    }

    public PropertyDefinition Definition { get; }

    protected override string CSharpDisplayName() => CSharpName.Of(Definition);

    protected override string CSharpPrototype(bool qualified)
        => (Definition.HasThis ? "" : "static ") + CSharpName.Type(Definition.PropertyType, qualified) + " " + CSharpName.Of(Definition, qualified);
}
