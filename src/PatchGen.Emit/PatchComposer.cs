using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>One method the patch replaces: its documentation ID, its site in the base, and the replacement.</summary>
internal sealed record ReplacedMethod(string DocumentationId, int Site, MethodDefinition Replacement);

/// <summary>
/// Decides what the patch holds and copies it there. It starts from the replacements (one per
/// changed method) and pulls in, as their code references them, everything the base does not have
/// in a usable form:
/// <list type="bullet">
/// <item>compiler-generated types (closures, state machines, anonymous types, array data) are
/// copied whole, under a copy of their own name: their shape may differ from the base's, and live
/// instances of the base's keep running the base's code (PG3005, PG3006);</item>
/// <item>compiler-generated methods of user types (lambdas, local functions) and methods added to
/// existing types become static methods of a holder type, taking <c>this</c> explicitly;</item>
/// <item>added types are copied whole.</item>
/// </list>
/// Everything else (existing types, methods and fields of the base, other assemblies) is referenced
/// where it lives. Holder types mirror the names of the base's types (<c>Shop.Cart</c> holds the
/// replacements of <c>Shop.Cart</c>'s methods), so stack traces read like the original.
/// </summary>
internal sealed class PatchComposer
{
    private readonly ModuleDefinition _new;
    private readonly ModuleDefinition _patch;
    private readonly ReferenceMapper _map;
    private readonly MethodBodyCopier _bodies;
    private readonly Dictionary<string, TypeDefinition> _baseTypes;
    private Dictionary<string, TypeDefinition>? _newTypes;
    private readonly Dictionary<TypeDefinition, TypeReference> _types = new();
    private readonly Dictionary<TypeDefinition, TypeDefinition> _holders = new();
    private readonly Dictionary<TypeDefinition, TypeDefinition> _originalHolders = new();
    private readonly Dictionary<MethodDefinition, MappedMethod> _methods = new();
    private readonly Dictionary<FieldDefinition, FieldReference> _fields = new();
    private readonly Dictionary<TypeDefinition, HashSet<string>> _holderNames = new();
    private readonly Queue<Action> _pending = new();
    private readonly Dictionary<TypeDefinition, TypeDefinition> _sharedClosures = new();
    private readonly Dictionary<MethodDefinition, MethodDefinition> _sharedLambdas = new();

    private readonly string _baseName;
    private readonly PatchComposers _composers;
    private AddedStaticFieldHolder? _addedStatics;

    /// <param name="composers">The composers of every base of the patch, this one's included.</param>
    public PatchComposer(ModuleDefinition @base, ModuleDefinition @new, ModuleDefinition patch, CustomAttributeCopier attributes, PatchComposers composers)
    {
        _new = @new;
        _patch = patch;
        _baseName = @base.Assembly.Name.Name;
        _composers = composers;
        _map = new ReferenceMapper(this, @new, patch, composers);
        _bodies = new MethodBodyCopier(_map, patch);
        Attributes = attributes;
        attributes.Mapper = _map;
        _baseTypes = @base.GetTypes().ToDictionary(BaseKey, StringComparer.Ordinal);
    }

    public CustomAttributeCopier Attributes { get; }

    /// <summary>The new build this composer copies from.</summary>
    public ModuleDefinition New => _new;

    /// <summary>Whether bodies are queued that <see cref="Complete"/> has not copied yet.</summary>
    public bool HasPending => _pending.Count > 0;

    public List<ReplacedMethod> Replaced { get; } = new();

    /// <summary>The holder types, in creation order (<c>patchgen inspect</c> tells them from shipped types).</summary>
    public IEnumerable<TypeDefinition> Holders => _holders.Values.Concat(_originalHolders.Values);

    /// <summary>Extended model: the static fields the fix adds to existing types live in their holders (<see cref="AddedStaticFieldHolder"/>). Call before anything is added.</summary>
    /// <param name="shadowVariables">The runtime's <c>ShadowVariables</c>, which keeps the instance fields the fix adds (<see cref="AddedInstanceFieldShadows"/>).</param>
    public void MoveAddedStatics(PatchGen.Diff.StaticInitialization.AddedStaticFields? added, TypeReference shadowVariables)
    {
        if (added is null)
            return;
        _addedStatics = new AddedStaticFieldHolder(this, added, _patch);
        _bodies.Shadows = new AddedInstanceFieldShadows(this, _patch, shadowVariables, added.IsAddedInstance);
    }

    /// <summary>The shadow IDs of the instance fields the fix adds (extended model), for the post-unpatch callback.</summary>
    public IReadOnlyList<int> ShadowIds => _bodies.Shadows?.Ids ?? [];

    /// <summary>The holder of an existing type (for <see cref="AddedStaticFieldHolder"/>).</summary>
    public TypeDefinition HolderOf(TypeDefinition type) => HolderFor(type);

    public ReferenceMapper Map => _map;

    public MethodBodyCopier Bodies => _bodies;

    /// <summary>Queues work for <see cref="Complete"/> (a body copied once everything it references is declared).</summary>
    public void Enqueue(Action work) => _pending.Enqueue(work);

    /// <summary>Writes the replacement of a changed method (its new body, taking <c>this</c> explicitly).</summary>
    public MethodDefinition AddReplacement(MethodDefinition changed, string documentationId, int site)
    {
        var holder = HolderFor(changed.DeclaringType);
        var replacement = CreateFlattened(changed, holder, changed.IsConstructor ? "ctor" : changed.Name, nullCheck: false);
        Replaced.Add(new ReplacedMethod(documentationId, site, replacement));
        return replacement;
    }

    /// <summary>
    /// Makes the patch use the live base's closure types and lambdas where the diff matched them
    /// (<see cref="PatchGen.Diff.Lambdas.LambdaIdentity"/>), instead of shipping copies: a lambda
    /// replaced in place runs on closures the base created, so its new body must name the base's
    /// closure type and fields, and code the patch creates delegates with goes through the base
    /// lambdas' sites too. Lambdas of <c>&lt;&gt;c</c> are not shared: the patch ships its own
    /// <c>&lt;&gt;c</c>, whose instance the delegates it creates are bound to. Call before anything is added.
    /// </summary>
    public void Share(PatchGen.Diff.Lambdas.LambdaIdentity lambdas)
    {
        foreach (var (@new, @base) in lambdas.Closures)
            _sharedClosures[@new] = @base;
        foreach (var pair in lambdas.Pairs)
        {
            if (pair.New.DeclaringType.Name != GeneratedCode.LambdaCacheClass)
                _sharedLambdas[pair.New] = pair.Base;
        }
    }

    /// <summary>
    /// Writes the replacement of a lambda or local function replaced in place: the signature of the
    /// base's method (its site's, <c>this</c> the live closure, <c>&lt;&gt;c</c> or user type), the new
    /// build's body. It goes into the holder of the user type that owns it, under the base's name.
    /// </summary>
    public MethodDefinition AddLambdaReplacement(MethodDefinition changed, MethodDefinition original, string documentationId, int site)
    {
        var replacement = CreateFlattened(changed, HolderFor(UserOwner(changed.DeclaringType)), original.Name, nullCheck: false, signatureOf: original);
        Replaced.Add(new ReplacedMethod(documentationId, site, replacement));
        return replacement;
    }

    /// <summary>
    /// Writes the replacement of a method the fix did not change but the patch must replace because the base runs an
    /// inlined copy of a changed method's clone in it (<see cref="InlineCloneCallers"/>): the base's own body as the
    /// diff engine sees it, whose calls name the changed method itself again, so they go through its site. It goes
    /// where the replacement of a changed method of its type would (lambdas under their user type), with the base
    /// method's signature, the site's.
    /// </summary>
    public MethodDefinition AddCarriedReplacement(MethodDefinition original, string documentationId, int site)
    {
        var owner = UserOwner(original.DeclaringType);
        var replacement = CreateFlattened(original, HolderFor(NewCounterpart(owner) ?? owner), original.IsConstructor ? "ctor" : original.Name, nullCheck: false);
        Replaced.Add(new ReplacedMethod(documentationId, site, replacement));
        return replacement;
    }

    /// <summary>The user type a compiler-generated type (a closure, a state machine) is nested in; a user type itself.</summary>
    private static TypeDefinition UserOwner(TypeDefinition type)
    {
        while (!GeneratedCode.IsUserType(type))
            type = type.DeclaringType;
        return type;
    }

    /// <summary>The new build's type of the same name as a base type, so that both builds' methods share one holder.</summary>
    private TypeDefinition? NewCounterpart(TypeDefinition baseType)
    {
        _newTypes ??= _new.GetTypes().Where(GeneratedCode.IsUserType).GroupBy(BaseKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _newTypes.GetValueOrDefault(BaseKey(baseType));
    }

    /// <summary>
    /// Writes a copy of the original body of a replaced method, from the base as built (the instrumented
    /// base seen through its sites): what threads still in the generation before the patch run while its
    /// transition is certified (docs/patch-sites.md). Everything it references is the live base's own,
    /// compiler-generated code included, so it behaves exactly as the original.
    /// </summary>
    public MethodDefinition AddOriginal(MethodDefinition original)
    {
        var holder = OriginalHolderFor(original.DeclaringType);
        return CreateFlattened(original, holder, original.IsConstructor ? "ctor" : original.Name, nullCheck: false);
    }

    /// <summary>Includes a method of the new build the patch needs whether or not code calls it (a callback).</summary>
    public MethodReference Include(MethodDefinition method) => MethodFor(method).Reference;

    /// <summary>Copies every body queued so far, and those their references queue in turn.</summary>
    public void Complete()
    {
        while (_pending.Count > 0)
            _pending.Dequeue()();
    }

    public TypeReference TypeFor(TypeDefinition type)
    {
        if (_types.TryGetValue(type, out var known))
            return known;
        if (_sharedClosures.TryGetValue(type, out var live))
            return _types[type] = _patch.ImportReference(live);
        if (IsShipped(type))
            return CopyType(type);
        var existing = _baseTypes[BaseKey(type)];
        var reference = _patch.ImportReference(existing);
        _types[type] = reference;
        return reference;
    }

    public MappedMethod MethodFor(MethodDefinition method)
    {
        if (_methods.TryGetValue(method, out var known))
            return known;
        var declaring = method.DeclaringType;
        if (_sharedLambdas.TryGetValue(method, out var lambda))
            return Remember(method, new MappedMethod(_patch.ImportReference(lambda), false));
        if (_sharedClosures.TryGetValue(declaring, out var closure))
            return Remember(method, MethodOfSharedClosure(method, closure));
        if (IsShipped(declaring))
        {
            var copy = (TypeDefinition)TypeFor(declaring);
            if (!_methods.TryGetValue(method, out known))
            {
                CopyMember(method, copy);
                known = _methods[method];
            }
            return known;
        }

        var existing = FindInBase(method);
        if (existing is not null && (!GeneratedCode.IsGeneratedName(method.Name) || method.IsVirtual))
            return Remember(method, new MappedMethod(_patch.ImportReference(existing), false));
        if (method.IsConstructor)
            throw new EmitException(CSharpName.Of(method, qualified: true), "a constructor added to an existing type");
        if (method.IsVirtual)
            throw new EmitException(CSharpName.Of(method, qualified: true), "a virtual method added to an existing type");

        // A lambda or local function of a user type, or a method added to an existing type: it cannot
        // be added to the live type, so it becomes a static method of the holder. Calls to a method the
        // user added come through callvirt and must still throw on a null receiver.
        bool added = !GeneratedCode.IsGeneratedName(method.Name);
        var flattened = CreateFlattened(method, HolderFor(declaring), method.Name, nullCheck: added && method.HasThis && !declaring.IsValueType);
        return Remember(method, new MappedMethod(flattened, true));
    }

    public FieldReference FieldFor(FieldDefinition field)
    {
        if (_fields.TryGetValue(field, out var known))
            return known;
        var declaring = field.DeclaringType;
        // Matched closures have the same fields in the same order (their names may differ: a captured variable renamed).
        if (_sharedClosures.TryGetValue(declaring, out var closure))
            return _fields[field] = _patch.ImportReference(closure.Fields[declaring.Fields.IndexOf(field)]);
        if (IsShipped(declaring))
        {
            var copy = (TypeDefinition)TypeFor(declaring);
            if (!_fields.TryGetValue(field, out known))
                known = CopyField(field, copy);
            return known;
        }
        if (_addedStatics?.FieldFor(field) is { } moved)
            return _fields[field] = moved;
        var existing = _baseTypes[BaseKey(declaring)].Fields.FirstOrDefault(f => f.Name == field.Name)
            ?? throw new EmitException(DiffContext.DisplayName(field), "a field the base does not have");
        known = _patch.ImportReference(existing);
        _fields[field] = known;
        return known;
    }

    /// <summary>Shipped in the patch: generated by the compiler (or nested in such a type) and not shared with the base, or added by the new build.</summary>
    private bool IsShipped(TypeDefinition type)
        => !_sharedClosures.ContainsKey(type) && (!GeneratedCode.IsUserType(type) || !_baseTypes.ContainsKey(BaseKey(type)));

    /// <summary>
    /// A method of a closure shared with the base that is not itself a matched lambda: its constructor
    /// is the base's; a lambda the fix added to it cannot be added to the live type, so it becomes a
    /// static method of a holder taking the closure as <c>this</c>, as for a user type.
    /// </summary>
    private MappedMethod MethodOfSharedClosure(MethodDefinition method, TypeDefinition closure)
    {
        if (method.IsConstructor)
        {
            var constructor = closure.Methods.FirstOrDefault(m => m.Name == method.Name && m.Parameters.Count == method.Parameters.Count)
                ?? throw new EmitException(CSharpName.Of(method, qualified: true), "a closure constructor the base does not have");
            return new MappedMethod(_patch.ImportReference(constructor), false);
        }
        if (method.IsVirtual)
            throw new EmitException(CSharpName.Of(method, qualified: true), "a virtual method added to an existing closure");
        return new MappedMethod(CreateFlattened(method, HolderFor(method.DeclaringType), method.Name, nullCheck: false), true);
    }

    /// <summary>
    /// How a type of the new build finds itself in the base: by full name, a file-local type's without
    /// the checksum of its file's path (a fix built in another folder has another; docs/diff-rules.md).
    /// </summary>
    private static string BaseKey(TypeDefinition type) => FileLocalNames.Stable(type.FullName);

    private MappedMethod Remember(MethodDefinition method, MappedMethod mapped)
    {
        _methods[method] = mapped;
        return mapped;
    }

    private MethodDefinition? FindInBase(MethodDefinition method)
    {
        if (!_baseTypes.TryGetValue(BaseKey(method.DeclaringType), out var type))
            return null;
        var key = TypeKey.Of(method);
        return type.Methods.FirstOrDefault(m => m.Name == method.Name && TypeKey.Of(m) == key);
    }

    /// <summary>The static class that holds what the patch adds to an existing type (same name, same nesting).</summary>
    private TypeDefinition HolderFor(TypeDefinition type)
    {
        if (_holders.TryGetValue(type, out var holder))
            return holder;
        var attributes = TypeAttributes.Class | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit;
        if (type.DeclaringType is null)
        {
            holder = new TypeDefinition(type.Namespace, type.Name, attributes | TypeAttributes.Public, _patch.TypeSystem.Object);
            AddTopLevel(holder);
        }
        else
        {
            holder = new TypeDefinition("", type.Name, attributes | TypeAttributes.NestedPublic, _patch.TypeSystem.Object);
            ContainerFor(type.DeclaringType).NestedTypes.Add(holder);
        }
        _holders[type] = holder;
        return holder;
    }

    /// <summary>
    /// The static class that holds the copies of original bodies of a base type's methods: the type's own
    /// name under the namespace <c>&lt;Original&gt;</c>, so a stack trace of a thread still running old
    /// code reads <c>&lt;Original&gt;.Shop.Cart.Total</c>.
    /// </summary>
    private TypeDefinition OriginalHolderFor(TypeDefinition type)
    {
        if (_originalHolders.TryGetValue(type, out var holder))
            return holder;
        var attributes = TypeAttributes.Class | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit;
        if (type.DeclaringType is null)
        {
            holder = new TypeDefinition(type.Namespace.Length == 0 ? "<Original>" : "<Original>." + type.Namespace, type.Name, attributes | TypeAttributes.Public, _patch.TypeSystem.Object);
            AddTopLevel(holder);
        }
        else
        {
            holder = new TypeDefinition("", type.Name, attributes | TypeAttributes.NestedPublic, _patch.TypeSystem.Object);
            OriginalHolderFor(type.DeclaringType).NestedTypes.Add(holder);
        }
        _originalHolders[type] = holder;
        return holder;
    }

    /// <summary>
    /// Adds a top-level type to the patch module. In a patch of several bases, two bases may need the same
    /// name (each its own <c>&lt;PrivateImplementationDetails&gt;</c>, or a type of one full name in both):
    /// the later one is suffixed with its base's name, which only stack traces and inspect show.
    /// </summary>
    private void AddTopLevel(TypeDefinition type)
    {
        if (_composers.TakenByAnother(type.Namespace, type.Name, this))
            type.Name += "<" + _baseName + ">";
        _patch.Types.Add(type);
    }

    /// <summary>Where a copy of a nested type goes: into the copy of its declaring type if that is shipped, else into its holder.</summary>
    private TypeDefinition ContainerFor(TypeDefinition declaring)
        => IsShipped(declaring) ? (TypeDefinition)TypeFor(declaring) : HolderFor(declaring);

    private string UniqueName(TypeDefinition holder, string name, string signature)
    {
        if (!_holderNames.TryGetValue(holder, out var names))
            _holderNames[holder] = names = new HashSet<string>(StringComparer.Ordinal);
        var candidate = name;
        for (int i = 2; !names.Add(candidate + "|" + signature); i++)
            candidate = name + "#" + i;
        return candidate;
    }

    /// <summary>
    /// A static method of <paramref name="holder"/> standing for <paramref name="method"/>: the
    /// declaring type's generic parameters then the method's, <c>this</c> (by reference for a struct)
    /// then the parameters, the same return type (void for a constructor). IL argument numbers do not
    /// change: an instance method's <c>this</c> is argument 0 either way.
    /// </summary>
    /// <param name="signatureOf">The method whose signature the copy takes, if not <paramref name="method"/>'s own (a lambda replaced in place takes its base method's, the site's).</param>
    private MethodDefinition CreateFlattened(MethodDefinition method, TypeDefinition holder, string name, bool nullCheck, MethodDefinition? signatureOf = null)
    {
        var body = method;
        method = signatureOf ?? method;
        var declaring = method.DeclaringType;
        int typeArity = declaring.GenericParameters.Count;
        var copy = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, _patch.TypeSystem.Void);
        foreach (var parameter in declaring.GenericParameters.Concat(method.GenericParameters))
        {
            copy.GenericParameters.Add(new GenericParameter(parameter.Name, copy)
            {
                Attributes = parameter.Attributes & ~GenericParameterAttributes.VarianceMask,
            });
        }
        var scope = GenericScope.Flattened(copy, typeArity);
        var sources = declaring.GenericParameters.Concat(method.GenericParameters).ToList();
        for (int i = 0; i < sources.Count; i++)
        {
            // Constraints of the type's parameters are written in the type's terms, which the scope maps the same way.
            foreach (var constraint in sources[i].Constraints)
                copy.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(_map.Type(constraint.ConstraintType, scope)));
        }

        if (method.HasThis)
        {
            TypeReference self = _map.Type(declaring, scope);
            if (typeArity > 0)
            {
                var instance = new GenericInstanceType(self);
                for (int i = 0; i < typeArity; i++)
                    instance.GenericArguments.Add(copy.GenericParameters[i]);
                self = instance;
            }
            copy.Parameters.Add(new ParameterDefinition("this", ParameterAttributes.None, declaring.IsValueType ? new ByReferenceType(self) : self));
        }
        foreach (var parameter in method.Parameters)
            copy.Parameters.Add(CopyParameter(parameter, scope));
        copy.ReturnType = method.IsConstructor ? _patch.TypeSystem.Void : _map.Type(method.ReturnType, scope);
        copy.ImplAttributes = method.ImplAttributes & (MethodImplAttributes.NoInlining | MethodImplAttributes.AggressiveInlining | MethodImplAttributes.NoOptimization | MethodImplAttributes.AggressiveOptimization);
        copy.Name = UniqueName(holder, name, TypeKey.Of(copy));
        holder.Methods.Add(copy);
        Attributes.Copy(method, copy, scope);

        if (!body.HasBody)
            throw new EmitException(CSharpName.Of(body, qualified: true), "a method without an IL body");
        _pending.Enqueue(() => _bodies.Copy(body, copy, scope, flattened: true, nullCheck));
        return copy;
    }

    private ParameterDefinition CopyParameter(ParameterDefinition parameter, GenericScope scope)
    {
        var copy = new ParameterDefinition(parameter.Name, parameter.Attributes, _map.Type(parameter.ParameterType, scope));
        if (parameter.HasConstant)
            copy.Constant = parameter.Constant;
        Attributes.Copy(parameter, copy, scope);
        return copy;
    }

    /// <summary>
    /// Copies a generated or added type. Fields, constructors, virtual methods, properties and events
    /// come along at once (the type is not whole without them); other methods of a closure class and
    /// everything of &lt;PrivateImplementationDetails&gt; only when referenced, so a shared
    /// <c>&lt;&gt;c</c> or the array data of the whole assembly do not come along entire.
    /// </summary>
    private TypeReference CopyType(TypeDefinition type)
    {
        var copy = new TypeDefinition(type.DeclaringType is null ? type.Namespace : "", type.Name, Visible(type.Attributes, type.DeclaringType is not null));
        _types[type] = copy;
        if (type.DeclaringType is null)
            AddTopLevel(copy);
        else
            ContainerFor(type.DeclaringType).NestedTypes.Add(copy);

        foreach (var parameter in type.GenericParameters)
            copy.GenericParameters.Add(new GenericParameter(parameter.Name, copy) { Attributes = parameter.Attributes });
        var scope = GenericScope.Member(copy, null);
        for (int i = 0; i < type.GenericParameters.Count; i++)
        {
            foreach (var constraint in type.GenericParameters[i].Constraints)
                copy.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(_map.Type(constraint.ConstraintType, scope)));
        }
        if (type.BaseType is not null)
            copy.BaseType = _map.Type(type.BaseType, scope);
        foreach (var implementation in type.Interfaces)
            copy.Interfaces.Add(new InterfaceImplementation(_map.Type(implementation.InterfaceType, scope)));
        copy.PackingSize = type.PackingSize;
        copy.ClassSize = type.ClassSize;
        Attributes.Copy(type, copy, scope);

        bool dataOnly = type.Name == "<PrivateImplementationDetails>" || type.DeclaringType?.Name == "<PrivateImplementationDetails>";
        bool closure = type.Name == "<>c" || type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal);
        if (!dataOnly)
        {
            foreach (var field in type.Fields)
                CopyField(field, copy);
        }
        foreach (var method in type.Methods)
        {
            bool needed = !dataOnly && (!closure || method.IsConstructor || method.IsVirtual);
            if (needed)
                CopyMember(method, copy);
        }
        if (!dataOnly && !closure)
        {
            foreach (var property in type.Properties)
            {
                var copied = new PropertyDefinition(property.Name, property.Attributes, _map.Type(property.PropertyType, scope))
                {
                    GetMethod = property.GetMethod is null ? null : (MethodDefinition)MethodFor(property.GetMethod).Reference,
                    SetMethod = property.SetMethod is null ? null : (MethodDefinition)MethodFor(property.SetMethod).Reference,
                };
                Attributes.Copy(property, copied, scope);
                copy.Properties.Add(copied);
            }
            foreach (var evt in type.Events)
            {
                var copied = new EventDefinition(evt.Name, evt.Attributes, _map.Type(evt.EventType, scope))
                {
                    AddMethod = evt.AddMethod is null ? null : (MethodDefinition)MethodFor(evt.AddMethod).Reference,
                    RemoveMethod = evt.RemoveMethod is null ? null : (MethodDefinition)MethodFor(evt.RemoveMethod).Reference,
                };
                copy.Events.Add(copied);
            }
        }
        return copy;
    }

    private FieldReference CopyField(FieldDefinition field, TypeDefinition copyType)
    {
        var copy = new FieldDefinition(field.Name, Visible(field.Attributes), _patch.TypeSystem.Object);
        _fields[field] = copy;
        copyType.Fields.Add(copy);
        copy.FieldType = _map.Type(field.FieldType, GenericScope.Member(copyType, null));
        if (field.HasConstant)
            copy.Constant = field.Constant;
        if (field.InitialValue is { Length: > 0 } data)
            copy.InitialValue = data;
        if (field.HasLayoutInfo)
            copy.Offset = field.Offset;
        Attributes.Copy(field, copy, GenericScope.Member(copyType, null));
        return copy;
    }

    /// <summary>Copies a method into the copy of its (shipped) type, keeping its shape.</summary>
    private void CopyMember(MethodDefinition method, TypeDefinition copyType)
    {
        var copy = new MethodDefinition(method.Name, method.IsVirtual ? method.Attributes : Visible(method.Attributes), _patch.TypeSystem.Void)
        {
            ImplAttributes = method.ImplAttributes,
            HasThis = method.HasThis,
            ExplicitThis = method.ExplicitThis,
            CallingConvention = method.CallingConvention,
        };
        _methods[method] = new MappedMethod(copy, false);
        copyType.Methods.Add(copy);
        foreach (var parameter in method.GenericParameters)
            copy.GenericParameters.Add(new GenericParameter(parameter.Name, copy) { Attributes = parameter.Attributes });
        var scope = GenericScope.Member(copyType, copy);
        for (int i = 0; i < method.GenericParameters.Count; i++)
        {
            foreach (var constraint in method.GenericParameters[i].Constraints)
                copy.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(_map.Type(constraint.ConstraintType, scope)));
        }
        copy.ReturnType = _map.Type(method.ReturnType, scope);
        foreach (var parameter in method.Parameters)
            copy.Parameters.Add(CopyParameter(parameter, scope));
        foreach (var overridden in method.Overrides)
            copy.Overrides.Add(_map.Method(overridden, scope).Reference);
        Attributes.Copy(method, copy, scope);
        if (method.HasPInvokeInfo)
        {
            var module = _patch.ModuleReferences.FirstOrDefault(m => m.Name == method.PInvokeInfo.Module.Name);
            if (module is null)
                _patch.ModuleReferences.Add(module = new ModuleReference(method.PInvokeInfo.Module.Name));
            copy.PInvokeInfo = new PInvokeInfo(method.PInvokeInfo.Attributes, method.PInvokeInfo.EntryPoint, module);
        }
        if (method.HasBody)
            _pending.Enqueue(() => _bodies.Copy(method, copy, scope, flattened: false, nullCheck: false));
    }

    /// <summary>
    /// Copied types and non-virtual members are made public: the patch's own code reaches them from
    /// other holders, and nothing outside the patch sees them. Virtual members keep their access, which
    /// an override must match.
    /// </summary>
    private static TypeAttributes Visible(TypeAttributes attributes, bool nested)
        => (attributes & ~TypeAttributes.VisibilityMask) | (nested ? TypeAttributes.NestedPublic : TypeAttributes.Public);

    private static MethodAttributes Visible(MethodAttributes attributes)
        => (attributes & ~MethodAttributes.MemberAccessMask) | MethodAttributes.Public;

    private static FieldAttributes Visible(FieldAttributes attributes)
        => (attributes & ~FieldAttributes.FieldAccessMask) | FieldAttributes.Public;
}
