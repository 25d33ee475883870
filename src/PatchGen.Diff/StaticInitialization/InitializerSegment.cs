using Mono.Cecil;

namespace PatchGen.Diff.StaticInitialization;

/// <summary>The instructions <see cref="Start"/> to <see cref="End"/> (inclusive, its <c>stsfld</c>) of a static constructor compute and store <see cref="Field"/>.</summary>
internal sealed record InitializerSegment(FieldDefinition Field, int Start, int End);
