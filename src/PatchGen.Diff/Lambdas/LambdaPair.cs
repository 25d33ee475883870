using Mono.Cecil;

namespace PatchGen.Diff.Lambdas;

/// <summary>
/// A lambda or local function of the base build and the one of the new build that is the same
/// lambda (same owner, same closure, same place among its siblings): <see cref="Changed"/> when its
/// code differs, its own state machine included. A changed pair is replaced in place, through the
/// base method's own patch site, so delegates created before the patch run the new body.
/// </summary>
internal sealed record LambdaPair(MethodDefinition Base, MethodDefinition New, bool Changed);
