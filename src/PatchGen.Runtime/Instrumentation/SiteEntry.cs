using System.Collections.Concurrent;
using System.Reflection;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// One implementation of one patched function (livepatch's <c>klp_func</c>): a patch's replacement, or
/// the patch's copy of the original body, which threads still in the universe before a transition run.
/// The dispatch stubs call it through a function pointer with the erased signature of docs/patch-sites.md.
/// </summary>
internal sealed class SiteEntry
{
    private readonly ConcurrentDictionary<IntPtr, IntPtr>? _instantiations;
    private readonly IntPtr _pointer;

    public SiteEntry(LoadedPatch patch, MethodInfo method, string member, bool isOriginal)
    {
        Patch = patch;
        Method = method;
        Member = member;
        IsOriginal = isOriginal;
        if (method.IsGenericMethodDefinition)
            _instantiations = new ConcurrentDictionary<IntPtr, IntPtr>();
        else
            _pointer = method.MethodHandle.GetFunctionPointer();
    }

    public LoadedPatch Patch { get; }

    /// <summary>The static method of the patch: generic when the site is (declaring type's parameters, then the method's).</summary>
    public MethodInfo Method { get; }

    /// <summary>The replaced member's documentation ID.</summary>
    public string Member { get; }

    /// <summary>A copy of the original body rather than a replacement.</summary>
    public bool IsOriginal { get; }

    /// <summary>The code of a non-generic entry.</summary>
    public IntPtr Pointer => _pointer;

    /// <summary>
    /// The code of the instantiation a generic stub is running as: the stub's own generic arguments are
    /// the site's instantiation (declaring type's, then the method's). Built once per instantiation.
    /// </summary>
    public IntPtr PointerFor(RuntimeMethodHandle stubInstantiation)
    {
        if (_instantiations is null)
            return _pointer;
        var key = stubInstantiation.Value;
        if (_instantiations.TryGetValue(key, out var known))
            return known;
        var arguments = MethodBase.GetMethodFromHandle(stubInstantiation)!.GetGenericArguments();
        var pointer = Method.MakeGenericMethod(arguments).MethodHandle.GetFunctionPointer();
        return _instantiations.GetOrAdd(key, pointer);
    }

    public override string ToString() => $"{Patch.Id}:{Member}{(IsOriginal ? " (original)" : "")}";
}
