using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.TestSupport;

/// <summary>A type reference found in an assembly, and the generic arity of the type whose signature or code it is in.</summary>
public readonly record struct TypeUse(TypeReference Type, int TypeArity);

/// <summary>
/// Every type reference, member reference signature and generic instantiation of a few real
/// assemblies, for the tests that pin what PatchGen's type-reference keys and names are: as many
/// shapes, nestings and generic contexts as real code has, in a fixed order.
/// </summary>
public static class TypeReferenceCorpus
{
    private static readonly Lazy<string> Shapes = new(() =>
        InlineAssembly.Compile(InlineAssembly.TempDirectory("shapes"), "TypeShapes", File.ReadAllText(ShapesSource)));

    /// <summary>The C# source of the assembly with every shape C# can write (testdata/shapes).</summary>
    public static string ShapesSource => Path.Combine(Repository.TestData, "shapes", "TypeShapes.cs");

    /// <summary>testdata/shapes compiled (once per test run).</summary>
    public static string ShapesAssembly => Shapes.Value;

    /// <summary>The assemblies read, by a short name: two real libraries, the shapes assembly, and the cases with varargs and modifiers.</summary>
    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "System.CommandLine", "Mono.Cecil", "TypeShapes", "VarargsCase", "VolatileCase",
    };

    public static string PathOf(string name) => name switch
    {
        "System.CommandLine" => Path.Combine(Repository.NuGetPackageRoot, "system.commandline", "2.0.0", "lib", "net8.0", "System.CommandLine.dll"),
        // The package's file, not the loaded assembly: RealSuiteTests runs the Diff tests against an instrumented copy of it.
        "Mono.Cecil" => Path.Combine(Repository.NuGetPackageRoot, "mono.cecil", "0.11.6", "lib", "netstandard2.0", "Mono.Cecil.dll"),
        "TypeShapes" => ShapesAssembly,
        "VarargsCase" => CaseCompiler.Compile("ChangedMethodCallingVarargsIsUnsupportedConstruct", "v2").AssemblyPath,
        "VolatileCase" => CaseCompiler.Compile("FieldMadeVolatileIsFieldChange", "v2").AssemblyPath,
        _ => throw new ArgumentException("no corpus assembly " + name),
    };

    /// <summary>Reads a corpus assembly (no symbols: nothing pinned depends on them).</summary>
    public static AssemblyDefinition Read(string name) => AssemblyDefinition.ReadAssembly(PathOf(name), new ReaderParameters { ReadSymbols = false });

    /// <summary>
    /// Every type reference of the module, where it is used, in a fixed order: the type definitions
    /// themselves, their base types, interfaces, constraints, field, property, event, parameter and
    /// return types, overrides, locals, catch types and instruction operands (types, member
    /// references with their declaring types and signatures, generic method instantiations, call
    /// sites); then the type and member reference tables; then <see cref="Synthetic"/> shapes.
    /// </summary>
    public static IEnumerable<TypeUse> TypesOf(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
        {
            int arity = type.GenericParameters.Count;
            yield return new TypeUse(type, arity);
            if (type.BaseType is { } baseType)
                yield return new TypeUse(baseType, arity);
            foreach (var implemented in type.Interfaces)
                yield return new TypeUse(implemented.InterfaceType, arity);
            foreach (var use in Constraints(type, arity))
                yield return use;
            foreach (var field in type.Fields)
                yield return new TypeUse(field.FieldType, arity);
            foreach (var property in type.Properties)
            {
                yield return new TypeUse(property.PropertyType, arity);
                foreach (var parameter in property.Parameters)
                    yield return new TypeUse(parameter.ParameterType, arity);
            }
            foreach (var evt in type.Events)
                yield return new TypeUse(evt.EventType, arity);
            foreach (var method in type.Methods)
            {
                foreach (var use in Signature(method, arity))
                    yield return use;
                foreach (var use in Constraints(method, arity))
                    yield return use;
                foreach (var overridden in method.Overrides)
                {
                    foreach (var use in Reference(overridden, arity))
                        yield return use;
                }
                if (!method.HasBody)
                    continue;
                foreach (var variable in method.Body.Variables)
                    yield return new TypeUse(variable.VariableType, arity);
                foreach (var handler in method.Body.ExceptionHandlers)
                {
                    if (handler.CatchType is { } catchType)
                        yield return new TypeUse(catchType, arity);
                }
                foreach (var instruction in method.Body.Instructions)
                {
                    foreach (var use in Operand(instruction.Operand, arity))
                        yield return use;
                }
            }
        }
        foreach (var reference in module.GetTypeReferences())
            yield return new TypeUse(reference, ArityOf(reference));
        foreach (var member in module.GetMemberReferences())
        {
            int arity = ArityOf(member.DeclaringType);
            foreach (var use in Operand(member, arity))
                yield return use;
        }
        foreach (var synthetic in Synthetic(module))
            yield return new TypeUse(synthetic, 2);
    }

    /// <summary>Every method the module defines or references (member reference table and code), generic instantiations included.</summary>
    public static IEnumerable<MethodReference> MethodsOf(ModuleDefinition module)
    {
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                yield return method;
                foreach (var overridden in method.Overrides)
                    yield return overridden;
                if (!method.HasBody)
                    continue;
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is MethodReference called)
                        yield return called;
                }
            }
        }
        foreach (var member in module.GetMemberReferences())
        {
            if (member is MethodReference method)
                yield return method;
        }
    }

    private static IEnumerable<TypeUse> Constraints(IGenericParameterProvider provider, int arity)
    {
        foreach (var parameter in provider.GenericParameters)
        {
            yield return new TypeUse(parameter, arity);
            foreach (var constraint in parameter.Constraints)
                yield return new TypeUse(constraint.ConstraintType, arity);
        }
    }

    private static IEnumerable<TypeUse> Signature(IMethodSignature method, int arity)
    {
        yield return new TypeUse(method.ReturnType, arity);
        foreach (var parameter in method.Parameters)
            yield return new TypeUse(parameter.ParameterType, arity);
    }

    private static IEnumerable<TypeUse> Reference(MethodReference method, int arity)
    {
        yield return new TypeUse(method.DeclaringType, arity);
        // A referenced member's signature is in its declaring type's generic context.
        int calleeArity = ArityOf(method.DeclaringType);
        foreach (var use in Signature(method.GetElementMethod(), calleeArity))
            yield return use;
        if (method is GenericInstanceMethod instance)
        {
            foreach (var argument in instance.GenericArguments)
                yield return new TypeUse(argument, arity);
        }
    }

    private static IEnumerable<TypeUse> Operand(object? operand, int arity)
    {
        switch (operand)
        {
            case TypeReference type:
                yield return new TypeUse(type, arity);
                break;
            case MethodReference method:
                foreach (var use in Reference(method, arity))
                    yield return use;
                break;
            case FieldReference field:
                yield return new TypeUse(field.DeclaringType, arity);
                yield return new TypeUse(field.FieldType, ArityOf(field.DeclaringType));
                break;
            case CallSite site:
                foreach (var use in Signature(site, arity))
                    yield return use;
                break;
        }
    }

    /// <summary>The generic arity of a type from its name and its declaring types' names (<c>Outer`1/Inner`2</c>: 3).</summary>
    public static int ArityOf(TypeReference type)
    {
        int arity = 0;
        for (TypeReference? t = type.GetElementType(); t is not null; t = t.DeclaringType)
        {
            int tick = t.Name.LastIndexOf('`');
            if (tick > 0 && int.TryParse(t.Name.AsSpan(tick + 1), out int own))
                arity += own;
        }
        return arity;
    }

    /// <summary>
    /// Shapes metadata allows and C# never writes: arrays with bounds, a rank-1 array that is not a
    /// vector, an explicit-this function pointer, modifiers on modifiers, a pinned byref of a method
    /// parameter, a sentinel outside a call site.
    /// </summary>
    public static IEnumerable<TypeReference> Synthetic(ModuleDefinition module)
    {
        var system = module.TypeSystem;
        var owner = new TypeReference("Synthetic", "Owner`2", module, module, false);
        owner.GenericParameters.Add(new GenericParameter("A", owner));
        owner.GenericParameters.Add(new GenericParameter("B", owner));
        var method = new MethodReference("Make", system.Void, owner);
        method.GenericParameters.Add(new GenericParameter("C", method));
        method.GenericParameters.Add(new GenericParameter("D", method));
        var nested = new TypeReference("", "Inner`1", module, module, true) { DeclaringType = owner };
        nested.GenericParameters.Add(new GenericParameter("E", nested));
        var isConst = new TypeReference("System.Runtime.CompilerServices", "IsConst", module, system.CoreLibrary, false);
        var isVolatile = new TypeReference("System.Runtime.CompilerServices", "IsVolatile", module, system.CoreLibrary, false);

        var bounded = new ArrayType(system.Int32, 2);
        bounded.Dimensions[0] = new ArrayDimension(1, 5);
        bounded.Dimensions[1] = new ArrayDimension(0, null);
        yield return bounded;
        yield return new ArrayType(system.String, 3);
        var notVector = new ArrayType(owner.GenericParameters[1]);
        notVector.Dimensions[0] = new ArrayDimension(0, null);
        yield return notVector;
        var upperOnly = new ArrayType(method.GenericParameters[0], 2);
        upperOnly.Dimensions[0] = new ArrayDimension(null, 9);
        yield return upperOnly;

        var explicitThis = new FunctionPointerType
        {
            HasThis = true,
            ExplicitThis = true,
            CallingConvention = MethodCallingConvention.ThisCall,
            ReturnType = new ByReferenceType(system.String),
        };
        explicitThis.Parameters.Add(new ParameterDefinition(new ByReferenceType(system.Int32)));
        explicitThis.Parameters.Add(new ParameterDefinition(owner.GenericParameters[0]));
        explicitThis.Parameters.Add(new ParameterDefinition(new SentinelType(system.Object)));
        yield return explicitThis;
        yield return new PointerType(explicitThis);
        var empty = new FunctionPointerType { CallingConvention = MethodCallingConvention.StdCall, ReturnType = system.Void };
        yield return empty;

        yield return new OptionalModifierType(isConst, new RequiredModifierType(isVolatile, system.Int32));
        yield return new RequiredModifierType(isVolatile, new PointerType(new OptionalModifierType(isConst, system.Byte)));
        yield return new PinnedType(new ByReferenceType(method.GenericParameters[1]));
        yield return new PinnedType(new PointerType(system.Char));
        yield return new SentinelType(system.String);
        yield return new SentinelType(new ArrayType(owner.GenericParameters[0]));

        var instance = new GenericInstanceType(nested);
        instance.GenericArguments.Add(method.GenericParameters[0]);
        instance.GenericArguments.Add(new ArrayType(owner.GenericParameters[1], 2));
        instance.GenericArguments.Add(new RequiredModifierType(isVolatile, system.Int64));
        yield return instance;
        yield return new ByReferenceType(new GenericInstanceType(owner) { GenericArguments = { system.IntPtr, new PointerType(system.Void) } });
    }
}
