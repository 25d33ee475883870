using Mono.Cecil;
using PatchGen.Cecil.TypeReferences;

namespace PatchGen.Emit;

/// <summary>A reference rewritten into the patch, and whether the method it names became static there.</summary>
internal readonly record struct MappedMethod(MethodReference Reference, bool BecameStatic);

/// <summary>
/// Rewrites references found in the new build's code into references the patch module can hold.
/// A member of another assembly stays a reference to it. A member of the new build is looked up by
/// <see cref="PatchComposer"/>: an existing member of the base becomes a reference to the live base
/// (so calls still go through its patch site), anything the patch ships (generated code, added
/// methods and types) becomes the patch's copy. Generic instantiations are rebuilt around the
/// target with their arguments mapped through a <see cref="GenericScope"/>.
/// </summary>
internal sealed class ReferenceMapper
{
    private readonly PatchComposer _composer;
    private readonly ModuleDefinition _new;
    private readonly ModuleDefinition _patch;
    private readonly GenericScope _callee;
    private readonly PatchTypes _types;
    private readonly PatchComposers _composers;

    public ReferenceMapper(PatchComposer composer, ModuleDefinition @new, ModuleDefinition patch, PatchComposers composers)
    {
        _composer = composer;
        _composers = composers;
        _new = @new;
        _patch = patch;
        _callee = GenericScope.Callee(patch);
        _types = new PatchTypes(this);
    }

    /// <summary>A type as used by copied code or a copied declaration.</summary>
    public TypeReference Type(TypeReference type, GenericScope scope) => _types.Rewrite(type, scope);

    /// <summary>A type in the signature of a referenced member (its generic parameters are the callee's).</summary>
    public TypeReference Signature(TypeReference type) => Type(type, _callee);

    public MappedMethod Method(MethodReference method, GenericScope scope)
    {
        var instance = method as GenericInstanceMethod;
        var element = instance?.ElementMethod ?? method;
        var declaring = element.DeclaringType;

        if (NewBuildMethod(element, declaring) is ({ } definition, { } composer))
        {
            var target = composer.MethodFor(definition);
            if (target.BecameStatic)
            {
                // Box<int>.Helper<string>(...) became Holder.Helper<int, string>(Box<int>, ...).
                var arguments = new List<TypeReference>();
                if (declaring is GenericInstanceType declaringInstance)
                    arguments.AddRange(declaringInstance.GenericArguments.Select(a => Type(a, scope)));
                if (instance is not null)
                    arguments.AddRange(instance.GenericArguments.Select(a => Type(a, scope)));
                return new MappedMethod(Instantiate(target.Reference, arguments), true);
            }

            var reference = target.Reference;
            if (declaring is GenericInstanceType genericDeclaring)
            {
                var host = new GenericInstanceType(reference.DeclaringType.GetElementType());
                foreach (var argument in genericDeclaring.GenericArguments)
                    host.GenericArguments.Add(Type(argument, scope));
                reference = OnHost(reference, host);
            }
            if (instance is not null)
                reference = Instantiate(reference, instance.GenericArguments.Select(a => Type(a, scope)).ToList());
            return new MappedMethod(reference, false);
        }

        var external = new MethodReference(element.Name, Signature(element.ReturnType), Type(declaring, scope))
        {
            HasThis = element.HasThis,
            ExplicitThis = element.ExplicitThis,
            CallingConvention = element.CallingConvention,
        };
        foreach (var parameter in element.GenericParameters)
            external.GenericParameters.Add(new GenericParameter(parameter.Name, external));
        foreach (var parameter in element.Parameters)
            external.Parameters.Add(new ParameterDefinition(Signature(parameter.ParameterType)));
        MethodReference result = external;
        if (instance is not null)
            result = Instantiate(external, instance.GenericArguments.Select(a => Type(a, scope)).ToList());
        return new MappedMethod(result, false);
    }

    /// <summary>The new build this mapper copies code of.</summary>
    public ModuleDefinition NewModule => _new;

    public FieldReference Field(FieldReference field, GenericScope scope)
    {
        var declaring = field.DeclaringType;
        if (NewBuildField(field, declaring) is ({ } definition, { } composer))
        {
            var target = composer.FieldFor(definition);
            if (declaring is not GenericInstanceType genericDeclaring)
                return target;
            var host = new GenericInstanceType(target.DeclaringType.GetElementType());
            foreach (var argument in genericDeclaring.GenericArguments)
                host.GenericArguments.Add(Type(argument, scope));
            return new FieldReference(target.Name, target.FieldType, host);
        }
        return new FieldReference(field.Name, Signature(field.FieldType), Type(declaring, scope));
    }

    /// <summary>
    /// The definition a method reference of copied code names in the new build of this base, or (in a patch
    /// of several bases, for code of this base's new build) in the new build of another base of the patch,
    /// with the composer that maps it; null for any other assembly's method.
    /// </summary>
    private (MethodDefinition, PatchComposer)? NewBuildMethod(MethodReference element, TypeReference declaring)
    {
        if (declaring.GetElementType() is TypeDefinition owner && owner.Module == _new)
        {
            var definition = element as MethodDefinition ?? element.Resolve()
                ?? throw new EmitException(element.FullName, "a reference to a method the new build does not define");
            return (definition, _composer);
        }
        if (OtherBaseType(declaring.GetElementType()) is not ({ } type, { } composer))
            return null;
        var key = TypeKey.Of(element);
        var found = type.Methods.FirstOrDefault(m => m.Name == element.Name && TypeKey.Of(m) == key)
            ?? throw new EmitException(element.FullName, $"a reference to a method the new build of {type.Module.Assembly.Name.Name} does not define");
        return (found, composer);
    }

    private (FieldDefinition, PatchComposer)? NewBuildField(FieldReference field, TypeReference declaring)
    {
        if (declaring.GetElementType() is TypeDefinition owner && owner.Module == _new)
        {
            var definition = field as FieldDefinition ?? field.Resolve()
                ?? throw new EmitException(field.FullName, "a reference to a field the new build does not define");
            return (definition, _composer);
        }
        if (OtherBaseType(declaring.GetElementType()) is not ({ } type, { } composer))
            return null;
        var found = type.Fields.FirstOrDefault(f => f.Name == field.Name)
            ?? throw new EmitException(field.FullName, $"a reference to a field the new build of {type.Module.Assembly.Name.Name} does not define");
        return (found, composer);
    }

    /// <summary>
    /// A type a reference read from this base's new build names in another base's new build. Only references
    /// of the new build: a copy of an original body (read from the base) keeps naming the live assemblies.
    /// </summary>
    private (TypeDefinition, PatchComposer)? OtherBaseType(TypeReference type)
    {
        if (type is TypeDefinition || type.Module != _new || _composers.For(type.Scope) is not { } other || other == _composer)
            return null;
        var definition = other.New.GetType(type.FullName)
            ?? throw new EmitException(type.FullName, $"a reference to a type the new build of {other.New.Assembly.Name.Name} does not define");
        return (definition, other);
    }

    /// <summary>The same method on an instantiated declaring type (<c>Box`1::Get</c> as <c>Box&lt;int&gt;::Get</c>).</summary>
    private static MethodReference OnHost(MethodReference open, GenericInstanceType host)
        => PatchGen.Cecil.Methods.MethodReferenceCopy.With(open, open.Name, open.ReturnType, host);

    private static MethodReference Instantiate(MethodReference method, IReadOnlyList<TypeReference> arguments)
    {
        if (arguments.Count == 0)
            return method;
        var instance = new GenericInstanceMethod(method);
        foreach (var argument in arguments)
            instance.GenericArguments.Add(argument);
        return instance;
    }

    /// <summary>
    /// Generic parameters go where the scope puts them; a type of the new build becomes what the
    /// composer makes of it (a reference to the base's, or the patch's copy); any other type is
    /// imported.
    /// </summary>
    private sealed class PatchTypes(ReferenceMapper mapper) : TypeReferenceRewriter<GenericScope>
    {
        protected override TypeReference GenericParameter(GenericParameter parameter, GenericScope scope) => scope.Map(parameter);

        protected override TypeReference Named(TypeReference type, GenericScope scope)
        {
            if (type is TypeDefinition definition && definition.Module == mapper._new)
                return mapper._composer.TypeFor(definition);
            if (type.Scope == mapper._new)
                return mapper._composer.TypeFor(mapper._new.GetType(type.FullName) ?? throw new EmitException(type.FullName, "a reference to a type the new build does not define"));
            if (mapper.OtherBaseType(type) is ({ } other, { } composer))
                return composer.TypeFor(other);
            return mapper._patch.ImportReference(type);
        }
    }
}
