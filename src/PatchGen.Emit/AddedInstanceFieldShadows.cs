using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Emit;

/// <summary>
/// Extended model (PG3012, docs/diff-rules.md#the-extended-model): an instance field the fix adds to
/// an existing class lives in a shadow variable of each object, a <c>StrongBox&lt;T&gt;</c> that
/// <c>ShadowVariables.GetOrAdd(obj, id, ...)</c> attaches on first use. For each such field the holder
/// of its type gets three static helpers, and copied code calls them instead of touching the field:
/// <c>ldfld F</c> becomes <c>call Get(object)</c>, <c>stfld F</c> <c>call Set(object, T)</c> and
/// <c>ldflda F</c> <c>call Ref(object)</c>, which returns <c>ref box.Value</c>; each takes the
/// same stack as the instruction it replaces. A box made for an object that existed before the patch
/// holds the field's initial value (<see cref="InitialValue"/>); the replaced constructors store
/// through <c>Set</c>, so an object made after the patch holds what v2's constructor assigns. The
/// shadow ID is a stable hash of the field's documentation ID, so that the post-unpatch callback
/// the builder writes (<see cref="Ids"/>) can remove every object's value, and a cumulative patch that
/// replaces this one (no post-unpatch callback runs for a replaced patch) finds the values it left.
/// </summary>
internal sealed class AddedInstanceFieldShadows
{
    private readonly PatchComposer _composer;
    private readonly ModuleDefinition _patch;
    private readonly TypeReference _shadowVariables;
    private readonly Func<FieldDefinition, bool> _isAdded;
    private readonly Dictionary<FieldDefinition, (MethodReference Get, MethodReference Set, MethodReference Ref)> _helpers = new();
    private readonly List<int> _ids = new();

    /// <param name="isAdded">Whether an instance field of the new build is one the fix adds to a type of the base.</param>
    public AddedInstanceFieldShadows(PatchComposer composer, ModuleDefinition patch, TypeReference shadowVariables, Func<FieldDefinition, bool> isAdded)
    {
        _composer = composer;
        _patch = patch;
        _shadowVariables = shadowVariables;
        _isAdded = isAdded;
    }

    /// <summary>The shadow IDs of the fields the patch keeps, for the post-unpatch callback.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>
    /// The helper that replaces <paramref name="opCode"/> of <paramref name="field"/> (a field of the new
    /// build), or null if the fix did not add it.
    /// </summary>
    public MethodReference? HelperFor(OpCode opCode, FieldDefinition field)
    {
        if (field.IsStatic || !_isAdded(field))
            return null;
        if (!_helpers.TryGetValue(field, out var helpers))
            _helpers[field] = helpers = Create(field);
        return opCode.Code switch
        {
            Code.Ldfld => helpers.Get,
            Code.Stfld => helpers.Set,
            Code.Ldflda => helpers.Ref,
            _ => throw new EmitException(Diff.DiffContext.DisplayName(field), $"'{opCode.Name}' of an instance field the fix adds"),
        };
    }

    /// <summary>FNV-1a of the documentation ID: the same field has the same ID in every build of the patch.</summary>
    public static int ShadowId(string documentationId)
    {
        unchecked
        {
            uint hash = 2166136261;
            foreach (char c in documentationId)
                hash = (hash ^ c) * 16777619;
            return (int)hash;
        }
    }

    private (MethodReference, MethodReference, MethodReference) Create(FieldDefinition field)
    {
        var type = field.DeclaringType;
        if (type.HasGenericParameters || type.IsValueType)
            throw new EmitException(Diff.DiffContext.DisplayName(field), "an instance field added to a generic type or a struct");
        var holder = _composer.HolderOf(type);
        var valueType = _composer.Map.Type(field.FieldType, GenericScope.Member(holder, null));
        var documentationId = Diff.DocumentationId.ForField(field);
        // A box of a type this patch ships is of no use to another patch (a cumulative replacement has its
        // own copy of the type, and would fail to cast it): such a field's ID is this patch's own.
        int id = ShadowId(ShipsWithPatch(valueType) ? documentationId + "|" + _patch.Assembly.Name.Name : documentationId);
        _ids.Add(id);
        AddedStaticFieldHolder.Declare(_patch, documentationId);

        var strongBox = new TypeReference("System.Runtime.CompilerServices", "StrongBox`1", _patch, _patch.TypeSystem.CoreLibrary);
        var boxParameter = new GenericParameter(strongBox);
        strongBox.GenericParameters.Add(boxParameter);
        var box = new GenericInstanceType(strongBox);
        box.GenericArguments.Add(valueType);
        var value = new FieldReference("Value", boxParameter, box);

        // StrongBox<T> New_F(object owner) => new StrongBox<T>(initial) or new StrongBox<T>()
        var factory = Helper(holder, "<New>" + field.Name, box, _patch.TypeSystem.Object);
        var initial = InitialValue(field);
        var constructor = new MethodReference(".ctor", _patch.TypeSystem.Void, box) { HasThis = true };
        var il = factory.Body.GetILProcessor();
        if (initial is not null)
        {
            constructor.Parameters.Add(new ParameterDefinition(boxParameter));
            foreach (var instruction in initial)
                il.Append(Copy(instruction));
        }
        il.Emit(OpCodes.Newobj, constructor);
        il.Emit(OpCodes.Ret);

        // StrongBox<T> Box_F(object owner) => ShadowVariables.GetOrAdd(owner, id, Factory_F ??= New_F):
        // the delegate is made once (a race makes two equal ones), not on every access of the field.
        var func = FuncOfObject(box, out var funcConstructor);
        var cache = new FieldDefinition("<Factory>" + field.Name, FieldAttributes.Private | FieldAttributes.Static, func);
        holder.Fields.Add(cache);
        var boxOf = Helper(holder, "<Box>" + field.Name, box, _patch.TypeSystem.Object);
        il = boxOf.Body.GetILProcessor();
        var call = il.Create(OpCodes.Call, GetOrAdd(box, func));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, id);
        il.Emit(OpCodes.Ldsfld, cache);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brtrue, call);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ldnull);
        il.Emit(OpCodes.Ldftn, factory);
        il.Emit(OpCodes.Newobj, funcConstructor);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stsfld, cache);
        il.Append(call);
        il.Emit(OpCodes.Ret);

        var get = Helper(holder, "<Get>" + field.Name, valueType, _patch.TypeSystem.Object);
        il = get.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, boxOf);
        il.Emit(OpCodes.Ldfld, value);
        il.Emit(OpCodes.Ret);

        var set = Helper(holder, "<Set>" + field.Name, _patch.TypeSystem.Void, _patch.TypeSystem.Object, valueType);
        il = set.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, boxOf);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Stfld, value);
        il.Emit(OpCodes.Ret);

        var reference = Helper(holder, "<Ref>" + field.Name, new ByReferenceType(valueType), _patch.TypeSystem.Object);
        il = reference.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, boxOf);
        il.Emit(OpCodes.Ldflda, value);
        il.Emit(OpCodes.Ret);
        return (get, set, reference);
    }

    private bool ShipsWithPatch(TypeReference type) => type switch
    {
        GenericInstanceType generic => ShipsWithPatch(generic.ElementType) || generic.GenericArguments.Any(ShipsWithPatch),
        TypeSpecification specification => ShipsWithPatch(specification.ElementType),
        TypeDefinition definition => definition.Module == _patch,
        _ => false,
    };

    private static MethodDefinition Helper(TypeDefinition holder, string name, TypeReference returnType, params TypeReference[] parameters)
    {
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, returnType);
        foreach (var parameter in parameters)
            method.Parameters.Add(new ParameterDefinition(parameter));
        holder.Methods.Add(method);
        return method;
    }

    /// <summary><c>Func&lt;object, StrongBox&lt;T&gt;&gt;</c> and its constructor.</summary>
    private GenericInstanceType FuncOfObject(TypeReference box, out MethodReference constructor)
    {
        var func = new TypeReference("System", "Func`2", _patch, _patch.TypeSystem.CoreLibrary);
        func.GenericParameters.Add(new GenericParameter(func));
        func.GenericParameters.Add(new GenericParameter(func));
        var instance = new GenericInstanceType(func);
        instance.GenericArguments.Add(_patch.TypeSystem.Object);
        instance.GenericArguments.Add(box);
        constructor = new MethodReference(".ctor", _patch.TypeSystem.Void, instance) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.Object));
        constructor.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.IntPtr));
        return instance;
    }

    /// <summary><c>ShadowVariables.GetOrAdd&lt;StrongBox&lt;T&gt;&gt;(object, int, Func&lt;object, T&gt;)</c>.</summary>
    private MethodReference GetOrAdd(TypeReference box, GenericInstanceType func)
    {
        var method = new MethodReference("GetOrAdd", _patch.TypeSystem.Void, _shadowVariables) { HasThis = false };
        var t = new GenericParameter("T", method);
        method.GenericParameters.Add(t);
        method.ReturnType = t;
        method.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.Object));
        method.Parameters.Add(new ParameterDefinition(_patch.TypeSystem.Int32));
        var openFunc = new GenericInstanceType(func.ElementType);
        openFunc.GenericArguments.Add(_patch.TypeSystem.Object);
        openFunc.GenericArguments.Add(t);
        method.Parameters.Add(new ParameterDefinition(openFunc));
        var call = new GenericInstanceMethod(method);
        call.GenericArguments.Add(box);
        return call;
    }

    /// <summary>
    /// The constant v2's instance constructors store into <paramref name="field"/> before they call the
    /// base constructor (a field initializer: <c>ldarg.0; ldc.*|ldstr|ldnull [conv.*]; stfld F</c>),
    /// or null: no initializer, or one that is not a constant (a call, an allocation, an argument of
    /// the constructor), which existing objects do not run, so they see the type's default.
    /// </summary>
    public static IReadOnlyList<Instruction>? InitialValue(FieldDefinition field)
    {
        foreach (var constructor in field.DeclaringType.Methods.Where(m => m.IsConstructor && !m.IsStatic && m.HasBody))
        {
            var instructions = constructor.Body.Instructions;
            for (int i = 0; i < instructions.Count; i++)
            {
                var at = instructions[i];
                if (at.OpCode.Code is Code.Call && at.Operand is MethodReference { Name: ".ctor" })
                    break; // the base (or this) constructor call: initializers come before it
                // A field of this type is a definition of this module (or one on its generic instance): never resolve
                // another assembly's, which needs a resolver that finds it.
                if (at.OpCode.Code != Code.Stfld || at.Operand is not FieldReference stored
                    || stored.DeclaringType.GetElementType() is not TypeDefinition || stored.Resolve() != field)
                    continue;
                int start = i - 1;
                while (start >= 0 && IsConstantPart(instructions[start]))
                    start--;
                if (start < i - 1 && start >= 0 && instructions[start].OpCode.Code == Code.Ldarg_0 && IsConstant(instructions[start + 1]))
                    return instructions.Skip(start + 1).Take(i - start - 1).ToList();
                return null;
            }
        }
        return null;
    }

    private static bool IsConstant(Instruction instruction)
        => instruction.OpCode.Code is Code.Ldstr or Code.Ldnull or Code.Ldc_I4 or Code.Ldc_I4_S or Code.Ldc_I8 or Code.Ldc_R4 or Code.Ldc_R8
            or Code.Ldc_I4_M1 or Code.Ldc_I4_0 or Code.Ldc_I4_1 or Code.Ldc_I4_2 or Code.Ldc_I4_3 or Code.Ldc_I4_4
            or Code.Ldc_I4_5 or Code.Ldc_I4_6 or Code.Ldc_I4_7 or Code.Ldc_I4_8;

    private static bool IsConstantPart(Instruction instruction)
        => IsConstant(instruction) || instruction.OpCode.Code is Code.Conv_I1 or Code.Conv_I2 or Code.Conv_I4 or Code.Conv_I8
            or Code.Conv_U1 or Code.Conv_U2 or Code.Conv_U4 or Code.Conv_U8 or Code.Conv_R4 or Code.Conv_R8 or Code.Conv_I or Code.Conv_U;

    private static Instruction Copy(Instruction instruction)
    {
        var copy = Instruction.Create(OpCodes.Nop);
        copy.OpCode = instruction.OpCode;
        copy.Operand = instruction.Operand;
        return copy;
    }
}
