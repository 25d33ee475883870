using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Baseline;
using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>
/// Recognizes what the C# compiler generated, from the unspeakable names it gives
/// (<c>&lt;Total&gt;b__3_0</c>, <c>&lt;&gt;c__DisplayClass3_0</c>, <c>&lt;Run&gt;d__5</c>,
/// <c>&lt;Name&gt;k__BackingField</c>, ...). Generated code is never reported by its own name:
/// it is attributed to the user-written member that owns it.
/// </summary>
internal static class GeneratedCode
{
    /// <summary>The type that holds array-initializer data, string-switch hashing and similar helpers.</summary>
    public const string PrivateImplementationDetails = "<PrivateImplementationDetails>";

    /// <summary>The singleton class that holds non-capturing lambdas of a type and their cached delegates.</summary>
    public const string LambdaCacheClass = "<>c";

    /// <summary>The synthesized entry point of top-level statements: user code despite its name.</summary>
    public const string TopLevelMain = "<Main>$";

    /// <summary>The synthesized record clone method: part of the record's shape, reported under the record.</summary>
    public const string RecordClone = PatchGen.Baseline.BaselineMethod.RecordClone;

    public static bool IsGeneratedName(string name) => name.Length > 0 && name[0] == '<';

    /// <summary>
    /// A type the user wrote: neither it nor any type it is nested in has a generated name. A
    /// <c>file</c>-scoped type's name looks generated but is the user's (<see cref="FileLocalNames"/>).
    /// </summary>
    public static bool IsUserType(TypeDefinition type)
    {
        for (TypeDefinition? t = type; t != null; t = t.DeclaringType)
        {
            if (IsGeneratedName(t.Name) && !(t.DeclaringType is null && FileLocalNames.IsFileLocal(t.Name)))
                return false;
        }
        return true;
    }

    /// <summary>
    /// A method the user wrote (accessors and operators included), as opposed to a lambda or local
    /// function, or a static constructor the compiler made only to fill <c>const decimal</c> fields.
    /// </summary>
    public static bool IsUserMethod(MethodDefinition method)
        => IsUserType(method.DeclaringType) && (!IsGeneratedName(method.Name) || method.Name is TopLevelMain or RecordClone)
            && !OnlyFillsDecimalConstants(method);

    /// <summary>
    /// C# compiles <c>const decimal</c> to a static readonly field with a DecimalConstant attribute,
    /// filled by the static constructor, and creates a static constructor for it if the type has none.
    /// Roslyn has no symbol for such a constructor, and the constants are what the user wrote
    /// (compared as constants): the constructor is not a user method.
    /// </summary>
    private static bool OnlyFillsDecimalConstants(MethodDefinition method)
    {
        if (method.Name != ".cctor" || !method.HasBody)
            return false;
        var skipped = DecimalConstantInitialization(method.Body);
        return skipped != null && method.Body.Instructions.All(i => skipped.Contains(i) || i.OpCode.Code == Code.Ret)
            && method.Body.ExceptionHandlers.Count == 0;
    }

    /// <summary>
    /// Generated types that belong to no single method and are compared by content or stable name:
    /// top-level generated types and what is nested in them (<c>&lt;PrivateImplementationDetails&gt;</c>,
    /// anonymous types, inline arrays, <c>&lt;Module&gt;</c>).
    /// </summary>
    public static bool IsSharedGeneratedType(TypeDefinition type)
    {
        var outermost = type;
        while (outermost.DeclaringType != null)
            outermost = outermost.DeclaringType;
        return IsGeneratedName(outermost.Name) && !FileLocalNames.IsFileLocal(outermost.Name);
    }

    /// <summary>Closures, state machines and lambda caches nested in a user type: owned by its methods.</summary>
    public static bool IsOwnedGeneratedType(TypeDefinition type) => !IsUserType(type) && !IsSharedGeneratedType(type);

    /// <summary>An auto-property backing field: <c>&lt;Name&gt;k__BackingField</c> gives <c>Name</c>.</summary>
    public static string? BackingFieldProperty(string fieldName)
    {
        const string suffix = ">k__BackingField";
        if (fieldName.Length > suffix.Length + 1 && fieldName[0] == '<' && fieldName.EndsWith(suffix, StringComparison.Ordinal))
            return fieldName[1..^suffix.Length];
        return null;
    }

    /// <summary>A captured primary-constructor parameter: <c>&lt;name&gt;P</c> gives <c>name</c>.</summary>
    public static string? PrimaryConstructorParameter(string fieldName)
    {
        if (fieldName.Length > 3 && fieldName[0] == '<' && fieldName.EndsWith(">P", StringComparison.Ordinal))
            return fieldName[1..^2];
        return null;
    }

    /// <summary>The user-facing name of a local function: <c>&lt;Outer&gt;g__Local|3_0</c> gives <c>Local</c>.</summary>
    public static string? LocalFunctionName(string methodName)
    {
        int g = methodName.IndexOf(">g__", StringComparison.Ordinal);
        if (g < 0)
            return null;
        int bar = methodName.IndexOf('|', g);
        return bar < 0 ? methodName[(g + 4)..] : methodName[(g + 4)..bar];
    }

    /// <summary>A lambda (<c>b__</c>) or local function (<c>g__</c>) body.</summary>
    public static bool IsLambdaOrLocalFunction(MethodDefinition method)
        => IsGeneratedName(method.Name) && (method.Name.Contains(">b__", StringComparison.Ordinal) || method.Name.Contains(">g__", StringComparison.Ordinal));

    /// <summary>The state machine type named by an async or iterator kickoff method's attribute, if any.</summary>
    public static (TypeDefinition Type, string Kind)? StateMachineOf(MethodDefinition method)
    {
        if (!method.HasCustomAttributes)
            return null;
        foreach (var attribute in method.CustomAttributes)
        {
            string? kind = attribute.AttributeType.FullName switch
            {
                "System.Runtime.CompilerServices.AsyncStateMachineAttribute" => "async",
                "System.Runtime.CompilerServices.IteratorStateMachineAttribute" => "iterator",
                "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute" => "async iterator",
                _ => null,
            };
            if (kind is null || attribute.ConstructorArguments.Count != 1)
                continue;
            try
            {
                if (attribute.ConstructorArguments[0].Value is TypeReference reference && reference.Resolve() is { } type)
                    return (type, kind);
            }
            catch (Exception e) when (e is AssemblyResolutionException or ResolutionException)
            {
            }
            return null;
        }
        return null;
    }

    /// <summary>
    /// The instructions of a static constructor that store <c>const decimal</c> values. C# compiles
    /// such a constant to a static readonly field with a DecimalConstant attribute and fills it in
    /// the static constructor, but uses it as a constant: its value is copied into every use, and
    /// its changes are constant changes (PG2005). Those stores are not static initialization, so
    /// they are left out of the static constructor's text. A store is only skipped together with
    /// the straight-line code that computes its value (constant loads and a decimal constructor).
    /// </summary>
    public static HashSet<Instruction>? DecimalConstantInitialization(MethodBody body)
    {
        HashSet<Instruction>? skipped = null;
        var instructions = body.Instructions;
        for (int i = 0; i < instructions.Count; i++)
        {
            if (instructions[i].OpCode.Code != Code.Stsfld || instructions[i].Operand is not FieldReference reference
                || TryResolve(reference) is not { } field || !field.CustomAttributes.Any(a => a.AttributeType.FullName == DecimalConstantAttribute))
                continue;
            // Walk back until the one value the store consumes has been produced.
            int needed = 1, start = i;
            while (needed > 0 && start > 0)
            {
                var previous = instructions[--start];
                if (IsConstantLoad(previous))
                    needed--;
                else if (previous.OpCode.Code == Code.Newobj && previous.Operand is MethodReference { DeclaringType.FullName: "System.Decimal" } constructor)
                    needed += constructor.Parameters.Count - 1;
                else
                    break;
            }
            if (needed != 0)
                continue;
            skipped ??= new HashSet<Instruction>();
            for (int j = start; j <= i; j++)
                skipped.Add(instructions[j]);
        }
        return skipped;
    }

    private const string DecimalConstantAttribute = "System.Runtime.CompilerServices.DecimalConstantAttribute";

    private static bool IsConstantLoad(Instruction instruction)
        => instruction.OpCode.Code is >= Code.Ldc_I4_M1 and <= Code.Ldc_R8
            || (instruction.OpCode.Code == Code.Ldsfld && instruction.Operand is FieldReference { DeclaringType.FullName: "System.Decimal" });

    private static FieldDefinition? TryResolve(FieldReference field)
    {
        try
        {
            return field.Resolve();
        }
        catch (Exception e) when (e is AssemblyResolutionException or ResolutionException)
        {
            return null;
        }
    }
}
