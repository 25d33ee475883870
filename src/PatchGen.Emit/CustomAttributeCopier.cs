using Mono.Cecil;
using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// Copies the custom attributes of copied declarations. Only attributes of other assemblies are
/// copied (InlineArray, IsByRefLike, AsyncStateMachine, CompilerGenerated...): those the compiler
/// embeds in the build itself (Nullable, NullableContext, RefSafetyRules) only inform compilers, and
/// the patch has no copy of their types. PatchGen's own attributes are written by
/// <see cref="PatchAssemblyFactory"/>, not copied.
/// </summary>
internal sealed class CustomAttributeCopier
{
    private readonly ModuleDefinition _new;

    public CustomAttributeCopier(ModuleDefinition @new)
    {
        _new = @new;
    }

    public ReferenceMapper? Mapper { get; set; }

    public void Copy(ICustomAttributeProvider source, ICustomAttributeProvider target, GenericScope scope)
    {
        if (!source.HasCustomAttributes)
            return;
        foreach (var attribute in source.CustomAttributes)
        {
            var type = attribute.AttributeType;
            if (type.Scope == _new || type is TypeDefinition || type.Namespace == RuntimeNames.Namespace)
                continue;
            CustomAttribute copy;
            try
            {
                copy = new CustomAttribute(Mapper!.Method(attribute.Constructor, scope).Reference);
                foreach (var argument in attribute.ConstructorArguments)
                    copy.ConstructorArguments.Add(Argument(argument, scope));
                foreach (var field in attribute.Fields)
                    copy.Fields.Add(new CustomAttributeNamedArgument(field.Name, Argument(field.Argument, scope)));
                foreach (var property in attribute.Properties)
                    copy.Properties.Add(new CustomAttributeNamedArgument(property.Name, Argument(property.Argument, scope)));
            }
            catch (Exception e) when (e is not EmitException)
            {
                // An attribute blob Cecil cannot decode without resolving other assemblies (an enum
                // argument of an unknown type): such attributes are descriptive, the patch runs without.
                continue;
            }
            target.CustomAttributes.Add(copy);
        }
    }

    private CustomAttributeArgument Argument(CustomAttributeArgument argument, GenericScope scope)
        => new(Mapper!.Signature(argument.Type), Value(argument.Value, scope));

    private object? Value(object? value, GenericScope scope) => value switch
    {
        TypeReference type => Mapper!.Type(type, scope),
        CustomAttributeArgument nested => Argument(nested, scope),
        CustomAttributeArgument[] array => array.Select(a => Argument(a, scope)).ToArray(),
        _ => value,
    };
}
