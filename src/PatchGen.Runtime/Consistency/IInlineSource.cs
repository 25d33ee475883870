using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>What the JIT really inlined, as the runtime's own events report it (src/PatchGen.Runtime/Observation).</summary>
internal interface IInlineSource
{
    /// <summary>
    /// Name keys (<see cref="MethodIdentity.NameKey(MethodBase)"/>) of every method the JIT inlined into any
    /// compiled code of <paramref name="method"/>; for <c>null</c> (a frame whose method cannot be named,
    /// such as a dynamic method), into any such code. Null when it does not know, for example for code
    /// compiled before it started listening.
    /// </summary>
    IReadOnlyCollection<string>? InlineesOf(MethodBase? method);
}
