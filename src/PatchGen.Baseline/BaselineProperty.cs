using System.Collections.Generic;

namespace PatchGen.Baseline
{
    /// <summary>A property or an event: metadata over accessor methods, compared as a whole when it appears, disappears or changes signature.</summary>
    internal sealed class BaselineProperty
    {
        /// <summary>Documentation ID (<c>P:</c> or <c>E:</c>).</summary>
        public string Id { get; set; } = "";

        /// <summary>The metadata name (<c>Item</c> for an indexer).</summary>
        public string Name { get; set; } = "";

        /// <summary><c>static </c> if static, then the type (<see cref="SignatureText"/>), with its ref kind.</summary>
        public string Signature { get; set; } = "";

        /// <summary>Whether any accessor is virtual in metadata.</summary>
        public bool IsVirtual { get; set; }

        /// <summary>The member as messages name it: <c>Cart.Count</c>.</summary>
        public string DisplayName { get; set; } = "";

        /// <summary>Documentation IDs of its accessors.</summary>
        public List<string> Accessors { get; } = new List<string>();
    }
}
