using System.Collections.Generic;

namespace PatchGen.Baseline
{
    /// <summary>One user-written method (accessors and operators included; lambdas, local functions and the static constructor not).</summary>
    internal sealed class BaselineMethod
    {
        /// <summary>Documentation ID: methods are matched by it.</summary>
        public string Id { get; set; } = "";

        /// <summary>The metadata name: unmatched methods of the same name are a signature change.</summary>
        public string Name { get; set; } = "";

        /// <summary>Everything a call site depends on (<see cref="SignatureText.Method"/>).</summary>
        public string Signature { get; set; } = "";

        /// <summary>Dispatch as metadata has it (<see cref="SignatureText.Dispatch"/>).</summary>
        public string Dispatch { get; set; } = "";

        /// <summary><c>body</c> for a method with an IL body; otherwise what the runtime builds it from (<see cref="SignatureText.NoBody"/>).</summary>
        public string NoBody { get; set; } = "body";

        /// <summary>SHA-256 of the canonical IL of the method and the generated code it owns (the diff engine's closure hash), or empty.</summary>
        public string BodyHash { get; set; } = "";

        /// <summary>
        /// For a LibraryImport method: the fingerprint of its source (declaration and generated stub),
        /// since its IL body is generated marshalling code; empty otherwise, <c>unknown</c> without sources.
        /// </summary>
        public string StubFingerprint { get; set; } = "";

        /// <summary>The method as messages name it: <c>Cart.Total(int)</c>.</summary>
        public string DisplayName { get; set; } = "";

        /// <summary>Generic parameters (<see cref="SignatureText.GenericParameter"/>), in order.</summary>
        public List<string> GenericParameters { get; } = new List<string>();

        /// <summary>Default values of the parameters, one per parameter: a typed constant, or empty for none.</summary>
        public List<string> Defaults { get; } = new List<string>();

        /// <summary>The default values as C# prints them, for messages ("none" for no default).</summary>
        public List<string> DefaultDisplays { get; } = new List<string>();

        public bool IsVirtual => SignatureText.IsVirtualDispatch(Dispatch);
    }
}
