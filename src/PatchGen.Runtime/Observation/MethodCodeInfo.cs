using System.Reflection;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// Every known compiled body of one method (all tiers, OSR versions and generic instantiations of one
/// Module + metadata token) and the union of what they inlined.
/// </summary>
/// <param name="Method">The method asked about.</param>
/// <param name="Versions">Its code versions, in no particular order.</param>
/// <param name="Inlinees">Every method inlined into any of them (each name once).</param>
/// <param name="InliningComplete">False when at least one version's inlinees are unknown: then <paramref name="Inlinees"/> is a lower bound.</param>
internal sealed record MethodCodeInfo(
    MethodBase Method, IReadOnlyList<CodeVersion> Versions, IReadOnlyList<EventMethodName> Inlinees, bool InliningComplete);

/// <summary>
/// The code versions that may contain a given method inlined.
/// </summary>
/// <param name="Inliners">Versions whose recorded inlinees name the method.</param>
/// <param name="Unknown">Versions whose inlinees are unknown (rundown, dropped events): they may contain it too.</param>
internal sealed record InlinerQuery(IReadOnlyList<CodeVersion> Inliners, IReadOnlyList<CodeVersion> Unknown);
