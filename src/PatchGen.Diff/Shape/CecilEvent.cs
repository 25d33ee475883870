using Mono.Cecil;

namespace PatchGen.Diff.Shape;

/// <summary>An event as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilEvent : CecilAccessorMember
{
    public CecilEvent(EventDefinition definition, ClosureRenderer renderer)
        : base(new[] { definition.AddMethod, definition.RemoveMethod, definition.InvokeMethod }.Concat(definition.OtherMethods))
    {
        Definition = definition;
        Id = DocumentationId.ForEvent(definition);
        Name = definition.Name;
        Signature = (IsStatic ? "static " : "") + renderer.TypeName(definition.EventType);
        Attributes = MetadataText.Attributes(definition);
    }

    public EventDefinition Definition { get; }

    private bool IsStatic => (Definition.AddMethod ?? Definition.RemoveMethod)?.IsStatic ?? false;

    protected override string CSharpDisplayName() => CSharpName.Of(Definition);

    protected override string CSharpPrototype(bool qualified)
        => (IsStatic ? "static " : "") + "event " + CSharpName.Type(Definition.EventType, qualified) + " " + CSharpName.Of(Definition, qualified);
}
