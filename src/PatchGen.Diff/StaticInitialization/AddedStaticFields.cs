using Mono.Cecil;
using Mono.Cecil.Cil;
using PatchGen.Diagnostics;

namespace PatchGen.Diff.StaticInitialization;

/// <summary>
/// Extended model (docs/diff-rules.md#the-extended-model): the static fields the new build adds to
/// types the base already has, and the code of the new build's static constructor that initialises
/// them. The diff engine leaves that code out of the static constructor's canonical text (as it
/// leaves out <c>const decimal</c> stores), so a static constructor whose only change is the
/// initializers of added fields is unchanged, and one that only initialises added fields is no static
/// constructor at all; the emitter runs the same code in the patch (<c>AddedStaticFieldHolder</c>).
/// An initializer is taken only when it is one self-contained statement (<see cref="InitializerSegments"/>);
/// otherwise it stays in the text and the static constructor is changed (PG2004).
/// </summary>
internal sealed class AddedStaticFields
{
    private readonly Dictionary<string, TypeDefinition> _baseTypes;
    private readonly Dictionary<MethodDefinition, IReadOnlyList<InitializerSegment>> _segments = new();

    public AddedStaticFields(ModuleDefinition @base)
    {
        _baseTypes = new Dictionary<string, TypeDefinition>(StringComparer.Ordinal);
        foreach (var type in @base.GetTypes().Where(GeneratedCode.IsUserType))
            _baseTypes.TryAdd(FileLocalNames.Stable(type.FullName), type);
    }

    /// <summary>
    /// A static field that stores a value (not a constant, not a <c>const decimal</c>), of a user type the
    /// base has, which has no field of that name in the base.
    /// </summary>
    public bool IsAdded(FieldDefinition field)
        => field.IsStatic && !field.IsLiteral && GeneratedCode.IsUserType(field.DeclaringType)
            && !field.CustomAttributes.Any(a => a.AttributeType.FullName == DecimalConstantAttribute)
            && _baseTypes.TryGetValue(FileLocalNames.Stable(field.DeclaringType.FullName), out var type)
            && !type.Fields.Any(f => f.Name == field.Name);

    /// <summary>
    /// An instance field of a user type the base has, which has no field of that name in the base
    /// (extended model: a shadow variable in the patch, PG3012).
    /// </summary>
    public bool IsAddedInstance(FieldDefinition field)
        => !field.IsStatic && GeneratedCode.IsUserType(field.DeclaringType)
            && _baseTypes.TryGetValue(FileLocalNames.Stable(field.DeclaringType.FullName), out var type)
            && !type.Fields.Any(f => f.Name == field.Name);

    /// <summary>The initializers of added fields in a static constructor of the new build, in order.</summary>
    public IReadOnlyList<InitializerSegment> Segments(MethodDefinition staticConstructor)
    {
        if (!_segments.TryGetValue(staticConstructor, out var found))
            _segments[staticConstructor] = found = InitializerSegments.Find(staticConstructor, IsAdded);
        return found;
    }

    /// <summary>The instructions left out of a static constructor's text: added fields' initializers and <c>const decimal</c> stores.</summary>
    public HashSet<Instruction>? Skipped(MethodDefinition staticConstructor)
    {
        var skipped = GeneratedCode.DecimalConstantInitialization(staticConstructor.Body);
        foreach (var segment in Segments(staticConstructor))
        {
            skipped ??= new HashSet<Instruction>();
            for (int i = segment.Start; i <= segment.End; i++)
                skipped.Add(staticConstructor.Body.Instructions[i]);
        }
        return skipped;
    }

    /// <summary>A static constructor that does nothing but initialise added fields (and fill <c>const decimal</c> fields): the fix added it for them.</summary>
    public bool OnlyInitializesAdded(MethodDefinition method)
    {
        if (!method.IsConstructor || !method.IsStatic || !method.HasBody || method.Body.ExceptionHandlers.Count > 0 || Segments(method).Count == 0)
            return false;
        var skipped = Skipped(method)!;
        return method.Body.Instructions.All(i => skipped.Contains(i) || i.OpCode.Code == Code.Ret);
    }

    private const string DecimalConstantAttribute = "System.Runtime.CompilerServices.DecimalConstantAttribute";
}
