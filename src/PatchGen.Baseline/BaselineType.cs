using System.Collections.Generic;

namespace PatchGen.Baseline
{
    /// <summary>One user-written type of the baseline: its shape, layout, static initialization and members.</summary>
    internal sealed class BaselineType
    {
        /// <summary>A fingerprint that could not be computed (its sources were not available).</summary>
        public const string Unknown = "unknown";

        /// <summary>The fingerprint of a type with no static initialization at all.</summary>
        public const string None = "none";

        /// <summary>Documentation ID: <c>T:Shop.Cart</c>.</summary>
        public string Id { get; set; } = "";

        /// <summary>Metadata full name, nested types with '+': <c>Shop.Cart+Line`1</c> (what GetTypeByMetadataName takes).</summary>
        public string MetadataName { get; set; } = "";

        public string Namespace { get; set; } = "";

        /// <summary>The documentation ID of the enclosing type, or empty for a top-level type.</summary>
        public string DeclaringTypeId { get; set; } = "";

        /// <summary>class, struct, interface, enum or delegate (as the diff engine names them).</summary>
        public string Kind { get; set; } = "";

        /// <summary>static, abstract, sealed or none.</summary>
        public string Modifiers { get; set; } = "";

        /// <summary>The base type's text (<see cref="SignatureText"/>), or empty.</summary>
        public string BaseType { get; set; } = "";

        /// <summary>auto, sequential or explicit.</summary>
        public string LayoutKind { get; set; } = "auto";

        public int Pack { get; set; }

        public int Size { get; set; }

        /// <summary>An enum's underlying type, or empty.</summary>
        public string EnumUnderlyingType { get; set; } = "";

        /// <summary>
        /// Fingerprint of the static field initializers and the static constructor, from source syntax
        /// (<see cref="SourceFingerprints"/>); <see cref="None"/> or <see cref="Unknown"/>.
        /// </summary>
        public string StaticInitialization { get; set; } = Unknown;

        /// <summary>The type as C# names it in messages: <c>Cart</c>, <c>Box&lt;T&gt;</c>.</summary>
        public string DisplayName { get; set; } = "";

        /// <summary>Implemented interfaces (texts), sorted.</summary>
        public List<string> Interfaces { get; } = new List<string>();

        /// <summary>Generic parameters (<see cref="SignatureText.GenericParameter"/>), in order.</summary>
        public List<string> GenericParameters { get; } = new List<string>();

        public List<BaselineField> Fields { get; } = new List<BaselineField>();

        public List<BaselineMethod> Methods { get; } = new List<BaselineMethod>();

        public List<BaselineProperty> Properties { get; } = new List<BaselineProperty>();

        public List<BaselineProperty> Events { get; } = new List<BaselineProperty>();
    }
}
