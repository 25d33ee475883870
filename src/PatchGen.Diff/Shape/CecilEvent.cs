using Mono.Cecil;
using PatchGen.Baseline;

namespace PatchGen.Diff.Shape;

/// <summary>An event as the diff engine compares it (see <see cref="CecilType"/>).</summary>
internal sealed class CecilEvent : BaselineProperty
{
    private readonly List<MethodDefinition> _accessors;
    private bool _accessorIdsRead;
    private string? _displayName;

    public CecilEvent(EventDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        Id = DocumentationId.ForEvent(definition);
        Name = definition.Name;
        Signature = (IsStatic ? "static " : "") + renderer.TypeName(definition.EventType);
        _accessors = new[] { definition.AddMethod, definition.RemoveMethod, definition.InvokeMethod }.Concat(definition.OtherMethods).OfType<MethodDefinition>().ToList();
        IsVirtual = _accessors.Any(a => a.IsVirtual);
        Attributes = MetadataText.Attributes(definition);
    }

    public EventDefinition Definition { get; }

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

    private bool IsStatic => (Definition.AddMethod ?? Definition.RemoveMethod)?.IsStatic ?? false;

    private string CSharpPrototype(bool qualified)
        => (IsStatic ? "static " : "") + "event " + CSharpName.Type(Definition.EventType, qualified) + " " + CSharpName.Of(Definition, qualified);
}
