using System.Collections.Concurrent;
using System.Reflection;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// What one patch installs for one function (livepatch's <c>klp_func</c> on a <c>func_stack</c>): a
/// replacement, or a "nop" that makes an atomic-replace patch revert the function to its original.
/// </summary>
internal sealed class SiteEntry
{
    private readonly MethodInfo? _genericReplacement;
    private readonly ConcurrentDictionary<IntPtr, Delegate>? _instantiations;

    private SiteEntry(LoadedPatch patch, Delegate? implementation, MethodInfo? genericReplacement, string member)
    {
        Patch = patch;
        Implementation = implementation;
        _genericReplacement = genericReplacement;
        Member = member;
        if (genericReplacement is not null)
            _instantiations = new ConcurrentDictionary<IntPtr, Delegate>();
    }

    /// <summary>A replacement for a non-generic site: a delegate of the site's dispatch type.</summary>
    public static SiteEntry ForReplacement(LoadedPatch patch, Delegate implementation, string member)
        => new(patch, implementation, null, member);

    /// <summary>A replacement for a generic site, instantiated per running instantiation.</summary>
    public static SiteEntry ForGenericReplacement(LoadedPatch patch, MethodInfo openReplacement, string member)
        => new(patch, null, openReplacement, member);

    /// <summary>An atomic-replace patch's entry for a function it no longer patches: run the original.</summary>
    public static SiteEntry Nop(LoadedPatch patch, string member) => new(patch, null, null, member);

    public LoadedPatch Patch { get; }

    /// <summary>The replacement for a non-generic site; <c>null</c> for a nop (run the original).</summary>
    public Delegate? Implementation { get; }

    /// <summary>The replaced member's documentation ID.</summary>
    public string Member { get; }

    public bool IsNop => Implementation is null && _genericReplacement is null;

    /// <summary>The replacement for one instantiation of a generic site, built once and cached.</summary>
    public Delegate? ImplementationFor(RuntimeTypeHandle delegateType)
    {
        if (_genericReplacement is null)
            return Implementation; // a nop (null), or a non-generic entry reached through generic dispatch
        var key = delegateType.Value;
        if (_instantiations!.TryGetValue(key, out var cached))
            return cached;
        var type = Type.GetTypeFromHandle(delegateType)!;
        var method = _genericReplacement.MakeGenericMethod(type.GetGenericArguments());
        return _instantiations.GetOrAdd(key, method.CreateDelegate(type));
    }

    /// <summary>Drops cached instantiations, so that nothing here keeps an unloaded patch alive.</summary>
    public void Clear() => _instantiations?.Clear();
}
