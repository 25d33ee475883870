using Mono.Cecil;

namespace PatchGen.Cecil.TypeReferences;

/// <summary>
/// The custom modifiers around a type at its top (<c>int32 modreq(IsVolatile)</c>: the field is
/// volatile), not those inside it (<c>List&lt;int32 modopt(IsLong)&gt;</c>).
/// </summary>
internal static class TypeModifiers
{
    /// <summary>The type inside its top-level modifiers.</summary>
    public static TypeReference Strip(TypeReference type) => Stripper.Instance.Walk(type, default);

    /// <summary>Whether <paramref name="modifier"/> (a full name) is one of the type's top-level required modifiers.</summary>
    public static bool HasRequired(TypeReference type, string modifier) => RequiredFinder.Instance.Walk(type, modifier);

    private sealed class Stripper : TypeReferenceWalker<ValueTuple, TypeReference>
    {
        public static readonly Stripper Instance = new();

        protected override TypeReference DefaultVisit(TypeReference type, ValueTuple state) => type;

        protected override TypeReference RequiredModifier(RequiredModifierType required, ValueTuple state) => Walk(required.ElementType, state);

        protected override TypeReference OptionalModifier(OptionalModifierType optional, ValueTuple state) => Walk(optional.ElementType, state);
    }

    private sealed class RequiredFinder : TypeReferenceWalker<string, bool>
    {
        public static readonly RequiredFinder Instance = new();

        protected override bool DefaultVisit(TypeReference type, string modifier) => false;

        protected override bool RequiredModifier(RequiredModifierType required, string modifier)
            => required.ModifierType.FullName == modifier || Walk(required.ElementType, modifier);

        protected override bool OptionalModifier(OptionalModifierType optional, string modifier) => Walk(optional.ElementType, modifier);
    }
}
