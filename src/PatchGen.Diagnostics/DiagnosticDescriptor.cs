using System.Globalization;

namespace PatchGen.Diagnostics
{
    /// <summary>
    /// One entry of the catalogue in shared/spec/diagnostics.md: a stable ID, its severity and the
    /// format of its message. Front ends never invent IDs or messages; they format these.
    /// </summary>
    public sealed class DiagnosticDescriptor
    {
        internal DiagnosticDescriptor(string id, DiagnosticSeverity severity, string title, string messageFormat)
        {
            Id = id;
            Severity = severity;
            Title = title;
            MessageFormat = messageFormat;
        }

        /// <summary>The stable ID, for example <c>PG2001</c>.</summary>
        public string Id { get; }

        /// <summary>The default severity (the catalogue's).</summary>
        public DiagnosticSeverity Severity { get; }

        /// <summary>A short summary of the rule, as the catalogue states it.</summary>
        public string Title { get; }

        /// <summary>A composite format string; arguments name members in C# terms.</summary>
        public string MessageFormat { get; }

        /// <summary>Formats the message with invariant culture.</summary>
        public string Format(params object[] args) => string.Format(CultureInfo.InvariantCulture, MessageFormat, args);

        public override string ToString() => Id;
    }
}
