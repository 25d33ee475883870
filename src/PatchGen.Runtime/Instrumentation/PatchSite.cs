using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// The runtime side of one patchable function (livepatch's <c>klp_ops</c>). Instrumented code checks the
/// function's slot (a static bool) on entry; while the function is patched the slot is set and the method
/// calls its dispatch stub, which asks <see cref="Target"/> (or <see cref="TargetGeneric"/>) for the code
/// the calling thread must run and calls it (docs/patch-sites.md). Called by instrumented code; not an API.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PatchSite
{
    // Replaced as a whole, never mutated: a reader may act on a snapshot that is a moment old, which
    // SiteState and the consistency model account for (docs/consistency-model.md, "Switching: the certifier": a thread that read a state before the publish).
    private volatile SiteState _state;

    // The steady state's code (non-generic sites), or zero while a transition changes the function: what
    // Target answers without a call. Never a pointer of a state that was not steady: the setter clears it
    // before it publishes a state and sets it only after a steady one is published, so a reader that finds
    // it set has read a steady state that was current a moment ago, which is what reading _state gives too
    // (docs/consistency-model.md, "Switching: the thread itself").
    private volatile nint _steadyPointer;
    private readonly IntPtr _ownBody;
    private readonly ConcurrentDictionary<IntPtr, IntPtr>? _ownInstantiations;

    internal PatchSite(InstrumentedAssembly assembly, int number, MethodBase method, FieldInfo slot)
    {
        Assembly = assembly;
        Number = number;
        Method = method;
        Slot = slot;
        if (method.ContainsGenericParameters)
            _ownInstantiations = new ConcurrentDictionary<IntPtr, IntPtr>();
        else
            _ownBody = method.MethodHandle.GetFunctionPointer();
        Publish(SiteState.SteadyOn(null, _ownBody));
    }

    internal InstrumentedAssembly Assembly { get; }

    /// <summary>The site number within its assembly.</summary>
    internal int Number { get; }

    /// <summary>The instrumented method (on the generic type definition, for a generic site).</summary>
    internal MethodBase Method { get; }

    /// <summary>The static field the method checks on entry.</summary>
    internal FieldInfo Slot { get; }

    internal SiteState State
    {
        get => _state;
        set => Publish(value);
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_state))]
    private void Publish(SiteState state)
    {
        _steadyPointer = 0;
        _state = state;
        if (state.Steady && _ownInstantiations is null)
            _steadyPointer = state.SteadyPointer;
    }

    internal bool IsGeneric => _ownInstantiations is not null;

    private MethodBase? _clone;
    private volatile bool _cloneLookedFor; // written after _clone

    /// <summary>
    /// The method's site-less inline clone (site format 4) or outlined body (format 5), whose frames are the method's old body running, or null.
    /// Looked for once; a benign race looks twice and finds the same.
    /// </summary>
    internal MethodBase? Clone
    {
        get
        {
            if (!_cloneLookedFor)
            {
                _clone = Assembly.FormatVersion >= PatchGen.Diagnostics.PatchSiteFormat.InlineClonesVersion ? InlineCloneFinder.Of(Method) : null;
                _cloneLookedFor = true;
            }
            return _clone;
        }
    }

    /// <summary>The method's own code (non-generic sites): what runs once nothing patches it.</summary>
    internal IntPtr OwnBody => _ownBody;

    /// <summary>
    /// The code the calling thread must run for a non-generic site: a patch's replacement, a patch's copy of
    /// the original body, or the method itself once nothing patches it any more (its slot is then empty, so
    /// calling it runs its own body).
    /// </summary>
    // Inlined into the dispatch stub: a steady state (the function patched and certified, the common case
    // for as long as a patch stays enabled) is answered by one load and a branch, without a call. A thread
    // that is here is in the stub's own frame, which the certifier counts as entering a patched function
    // while it is the innermost frame (ThreadStackVerdict.IsEntering), as it counts TargetInTransition.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static IntPtr Target(PatchSite site)
    {
        nint steady = site._steadyPointer;
        return steady != 0 ? steady : TargetInTransition(site);
    }

    /// <summary>
    /// The code of a non-generic site's steady state (a patch's replacement, or the method itself once nothing
    /// patches it), or zero while a transition changes the function: what the steady dispatch stub, inlined into the
    /// method, calls at once; on zero it calls the full stub, which asks <see cref="Target"/>. A steady state read a
    /// moment before a transition is published is what <see cref="Target"/> would have answered then too: the thread
    /// is in a frame of the method (or of the method its check was inlined into), so no certificate counts it as
    /// switched while it is there (docs/consistency-model.md, "Switching: the thread itself").
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static IntPtr Steady(PatchSite site) => site._steadyPointer;

    // Never inlined into the stub: while a thread decides (which can include waiting for the JIT's record
    // of inlining to catch up), this frame is what tells the certifier it is entering a patched function
    // and may be about to start an old activation (ThreadStackVerdict.IsEntering). Inlined, a thread
    // deciding for a long while looked clean, was certified, and then ran the version its stale state
    // gave: a new caller with old callees (the stress test caught it under load).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IntPtr TargetInTransition(PatchSite site)
    {
        var state = site._state;
        if (state.Steady)
            return state.SteadyPointer;
        return site.EntryForThread()?.Pointer ?? site._ownBody;
    }

    /// <summary>As <see cref="Target"/>, for one instantiation of a generic site: the dispatch stub passes its own instantiation.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static IntPtr TargetGeneric(PatchSite site, RuntimeMethodHandle stubInstantiation)
    {
        var state = site._state;
        var entry = state.Steady ? state.Top : site.EntryForThread();
        return entry is null ? site.OwnBodyFor(stubInstantiation) : entry.PointerFor(stubInstantiation);
    }

    /// <summary>
    /// The version of this function for the calling thread's generation, read from a state at least as new
    /// as that generation: the state is read again after the generation is known, because a state read
    /// before may predate the generation the thread ends up in (publishing writes states before the
    /// generation number, so a read after sees them). The generation is the thread's in the engine that
    /// drives the site: it claimed the assembly before it published the state that brought the thread here.
    /// </summary>
    private SiteEntry? EntryForThread()
    {
        var engine = Assembly.Engine ?? throw new InvalidOperationException($"{this} is in transition but no engine drives it");
        long generation = engine.Threads.Current.GenerationFor(this);
        var state = _state;
        return state.Steady ? state.Top : state.EntryAt(generation);
    }

    /// <summary>The method's own code for one instantiation (the method on the instantiated type, instantiated itself).</summary>
    private IntPtr OwnBodyFor(RuntimeMethodHandle stubInstantiation)
    {
        if (_ownInstantiations is null)
            return _ownBody;
        var key = stubInstantiation.Value;
        if (_ownInstantiations.TryGetValue(key, out var known))
            return known;
        var arguments = MethodBase.GetMethodFromHandle(stubInstantiation)!.GetGenericArguments();
        var method = Instantiate(Method, arguments);
        return _ownInstantiations.GetOrAdd(key, method.MethodHandle.GetFunctionPointer());
    }

    /// <summary><paramref name="method"/> on its declaring type instantiated with the first arguments, itself instantiated with the rest.</summary>
    internal static MethodBase Instantiate(MethodBase method, Type[] arguments)
    {
        var declaring = method.DeclaringType!;
        int typeArity = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
        var onType = typeArity == 0
            ? method
            : MethodBase.GetMethodFromHandle(method.MethodHandle, declaring.MakeGenericType(arguments[..typeArity]).TypeHandle)!;
        return onType is MethodInfo { IsGenericMethodDefinition: true } generic ? generic.MakeGenericMethod(arguments[typeArity..]) : onType;
    }

    /// <summary>Sets the method's slot (patched: it dispatches to this site) or clears it (the method runs its own body again).</summary>
    internal void SetSlot(bool patched) => Slot.SetValue(null, patched);

    public override string ToString() => $"{Assembly.Name} site {Number} ({Method.DeclaringType?.Name}.{Method.Name})";
}
