using Mono.Cecil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff.Shape;

/// <summary>
/// A user-written type as the diff engine compares it, read from metadata. Comparable texts are the
/// closure renderer's canonical names (what the engine has always compared); names for messages are
/// made only when a rule reports, and the members only when the type is compared (most types of a
/// large assembly are in both builds, but are only read once each).
/// </summary>
internal sealed class CecilType : BaselineType
{
    private readonly ClosureRenderer _renderer;
    private string? _displayName;
    private bool _membersRead;

    public CecilType(TypeDefinition definition, ClosureRenderer renderer)
    {
        Definition = definition;
        _renderer = renderer;
        Id = DocumentationId.ForType(definition);
        // A file-local type by its file's name and its own, not the checksum of its file's path.
        MetadataName = FileLocalNames.Stable(definition.FullName).Replace('/', '+');
        Namespace = definition.Namespace;
        DeclaringTypeId = definition.DeclaringType is null ? "" : DocumentationId.ForType(definition.DeclaringType);
        Kind = TypeFacts.Kind(definition);
        Modifiers = SignatureText.TypeModifiers(definition.IsAbstract, definition.IsSealed);
        BaseType = definition.BaseType is null ? "" : renderer.TypeName(definition.BaseType);
        LayoutKind = TypeFacts.LayoutKind(definition);
        Pack = definition.PackingSize;
        Size = definition.ClassSize;
        InlineArrayLength = TypeFacts.InlineArrayLength(definition);
        SerializesFields = definition.IsSerializable || definition.CustomAttributes.Any(a => FieldSerializers.IsOne(a.AttributeType.FullName));
        EnumUnderlyingType = TypeFacts.EnumStorage(definition) is { } storage ? renderer.TypeName(storage.FieldType) : "";
        Accessibility = MetadataText.Accessibility(definition);
        var attributes = MetadataText.Attributes(definition);
        // An inline array's length is its layout (a change of it is PG2006, not PG3002).
        attributes.RemoveWhere(a => a.StartsWith(TypeFacts.InlineArrayAttribute + "(", StringComparison.Ordinal));
        Attributes = attributes;
        foreach (var implementation in definition.Interfaces)
            Interfaces.Add(renderer.TypeName(implementation.InterfaceType));
        // All generic parameters, those a nested type repeats from its enclosing types included.
        foreach (var parameter in definition.GenericParameters)
        {
            GenericParameters.Add(CecilMethod.GenericParameterText(renderer, parameter));
            GenericParameterNames.Add(parameter.Name);
        }
    }

    public TypeDefinition Definition { get; }

    public override string DisplayName
    {
        get => _displayName ??= CSharpName.Type(Definition);
        set => _displayName = value;
    }

    public override string BaseTypeDisplay => Definition.BaseType is null ? "" : CSharpName.Type(Definition.BaseType);

    public override string InterfaceDisplay(int index) => CSharpName.Type(Definition.Interfaces[index].InterfaceType);

    public override string EnumUnderlyingTypeDisplay => TypeFacts.EnumStorage(Definition) is { } storage ? CSharpName.Type(storage.FieldType) : "";

    public override List<BaselineField> Fields
    {
        get
        {
            ReadMembers();
            return base.Fields;
        }
    }

    public override List<BaselineMethod> Methods
    {
        get
        {
            ReadMembers();
            return base.Methods;
        }
    }

    public override List<BaselineProperty> Properties
    {
        get
        {
            ReadMembers();
            return base.Properties;
        }
    }

    public override List<BaselineProperty> Events
    {
        get
        {
            ReadMembers();
            return base.Events;
        }
    }

    /// <summary>Lets go of the members read (they are read again if asked for).</summary>
    public void ReleaseMembers()
    {
        base.Fields.Clear();
        base.Methods.Clear();
        base.Properties.Clear();
        base.Events.Clear();
        _membersRead = false;
    }

    private void ReadMembers()
    {
        if (_membersRead)
            return;
        _membersRead = true;
        var storage = TypeFacts.EnumStorage(Definition);
        foreach (var field in Definition.Fields)
        {
            if (field != storage)
                base.Fields.Add(new CecilField(field, _renderer));
        }
        foreach (var method in Definition.Methods)
        {
            // A static constructor the fix added only to initialise the fields it adds (extended model) is theirs.
            if (GeneratedCode.IsUserMethod(method) && _renderer.AddedStatics?.OnlyInitializesAdded(method) != true)
                base.Methods.Add(new CecilMethod(method, _renderer));
        }
        foreach (var property in Definition.Properties)
            base.Properties.Add(new CecilProperty(property, _renderer));
        foreach (var evt in Definition.Events)
            base.Events.Add(new CecilEvent(evt, _renderer));
    }
}
