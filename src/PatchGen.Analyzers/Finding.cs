using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using DiagnosticDescriptor = PatchGen.Diagnostics.DiagnosticDescriptor;

namespace PatchGen.Analyzers;

/// <summary>One PG1xxx/PG2xxx finding: the catalogue entry, the member it is reported under (a documentation ID, as the diff engine reports it), where, and the message arguments.</summary>
internal sealed class Finding
{
    public Finding(DiagnosticDescriptor rule, string member, Location location, object[] args, ImmutableDictionary<string, string?>? properties = null)
    {
        Rule = rule;
        Member = member;
        Location = location;
        Args = args;
        Properties = properties ?? ImmutableDictionary<string, string?>.Empty;
    }

    public DiagnosticDescriptor Rule { get; }

    public string Member { get; }

    public Location Location { get; }

    public object[] Args { get; }

    public ImmutableDictionary<string, string?> Properties { get; }
}
