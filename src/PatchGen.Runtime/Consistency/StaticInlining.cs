using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The cautious answer to "may the JIT have inlined a changed function into this method's code", from
/// IL alone, for code the JIT's own record does not cover. It follows every call the method makes (and
/// the calls of every callee small enough to be inlined, up to the JIT's inlining depth).
/// <para>With <c>profiled</c> (code compiled while events were lost, or no observation at all) it also
/// counts a virtual or interface call as reaching every changed function that could override or
/// implement it (guarded devirtualization), and a delegate invocation as reaching every changed function
/// (delegate devirtualization): sound, and so cautious that long-lived framework frames hold threads back.</para>
/// <para>Without it (code compiled before observation began) those two are left out. Guarded
/// devirtualization inlines what the profile of the call site saw run; an instrumented method that ran
/// ran its module's initializer first, which starts observation before it returns
/// (<see cref="Instrumentation.PatchSites.Observe"/>): so code compiled before observation cannot hold an
/// instrumented method that way, only through calls the JIT resolves without a profile.</para>
/// </summary>
internal static class StaticInlining
{
    /// <summary>How deep the JIT inlines (its DEFAULT_MAX_INLINE_DEPTH).</summary>
    private const int MaxDepth = 20;

    /// <summary>The largest IL the JIT inlines at a call site its profile calls hot (JitExtDefaultPolicyMaxILProf).</summary>
    private const int MaxInlineSize = 1024;

    public static PatchSite? MayInline(MethodBase? method, ChangeSet changes, PatchSite? exempt, bool profiled)
    {
        if (method is null)
            return Any(changes, exempt);
        BeforeRememberingForTests?.Invoke();
        var memo = MemoFor(changes, profiled);
        lock (memo)
            return Search(method, changes, exempt, memo.Answers, 0, new HashSet<MethodIdentity>(), profiled);
    }

    /// <summary>Answers already found for one set of changed code (and one kind of search).</summary>
    private sealed class Memo
    {
        public Memo(HashSet<MethodIdentity> code, bool profiled)
        {
            Code = code;
            Profiled = profiled;
        }

        public HashSet<MethodIdentity> Code { get; }

        public bool Profiled { get; }

        public Dictionary<(MethodIdentity Method, PatchSite? Exempt), PatchSite?> Answers { get; } = new();
    }

    // Keyed by the changed code, not by the ChangeSet object: every stack check asks for the net changes
    // since its thread's generation and gets a new object each time, and a search through the IL of a
    // framework method's callees takes long (seconds, through reflection); remembered per object, it was
    // redone at every check, and a thread looping through a patched function spent its life in it.
    private static readonly List<Memo> Memos = new();
    private const int MemoCount = 16;

    /// <summary>Drops every remembered answer (a patch is being unloaded: answers name its methods, and would keep it alive).</summary>
    public static void ForgetAll()
    {
        lock (Memos)
            Memos.Clear();
        AfterForgettingForTests?.Invoke();
    }

    /// <summary>Runs in a search before it looks up (or makes) the memo it remembers answers in (tests: to place a search after an unload's forgetting).</summary>
    internal static Action? BeforeRememberingForTests;

    /// <summary>Runs after <see cref="ForgetAll"/> cleared the memos (tests).</summary>
    internal static Action? AfterForgettingForTests;

    private static Memo MemoFor(ChangeSet changes, bool profiled)
    {
        lock (Memos)
        {
            foreach (var memo in Memos)
            {
                if (memo.Profiled == profiled && memo.Code.Count == changes.Code.Count && memo.Code.SetEquals(changes.Code.Keys))
                    return memo;
            }
            var created = new Memo(new HashSet<MethodIdentity>(changes.Code.Keys), profiled);
            Memos.Insert(0, created);
            if (Memos.Count > MemoCount)
                Memos.RemoveAt(MemoCount);
            return created;
        }
    }

    private static PatchSite? Search(MethodBase method, ChangeSet changes, PatchSite? exempt, Dictionary<(MethodIdentity Method, PatchSite? Exempt), PatchSite?> memo, int depth, HashSet<MethodIdentity> path, bool profiled)
    {
        var identity = MethodIdentity.Of(method);
        if (identity is null)
            return Any(changes, exempt);
        if (memo.TryGetValue((identity.Value, exempt), out var known))
            return known;
        if (!profiled && BuiltWithoutTheApplication(method.Module.Assembly))
            return memo[(identity.Value, exempt)] = null;
        if (!path.Add(identity.Value))
            return null;
        PatchSite? found = null;
        foreach (var callee in CalleesOf(method))
        {
            if (callee is null)
            {
                found = Any(changes, exempt);
                break;
            }
            var site = changes.SiteOf(callee);
            if (site is not null && site != exempt)
            {
                found = site;
                break;
            }
            bool dispatched = (callee.IsVirtual && !callee.IsFinal && callee.DeclaringType is { IsSealed: false, IsValueType: false }) || callee.DeclaringType?.IsInterface == true;
            if (dispatched && !profiled)
                continue; // only guarded devirtualization could inline through it (see above)
            if (dispatched && Overriders(callee, changes, exempt) is { } overrider)
            {
                found = overrider;
                break;
            }
            if (profiled && callee.Name == "Invoke" && typeof(Delegate).IsAssignableFrom(callee.DeclaringType))
            {
                found = Any(changes, exempt);
                if (found is not null)
                    break;
            }
            if (depth < MaxDepth && Inlinable(callee) && Search(callee, changes, exempt, memo, depth + 1, path, profiled) is { } deeper)
            {
                found = deeper;
                break;
            }
        }
        path.Remove(identity.Value);
        memo[(identity.Value, exempt)] = found;
        return found;
    }

    /// <summary>
    /// Whether <paramref name="assembly"/> was built without reference to any application assembly: the shared
    /// framework's (the runtime's and ASP.NET Core's, under the dotnet root's <c>shared</c> folder) and PatchGen's
    /// own. A changed function is declared in an instrumented application assembly, and the only calls of such
    /// code that reach it are the virtual, interface and delegate ones a search without profiles leaves out
    /// (above): every other call resolves to a method of the same kind of assembly, so the search would walk
    /// all of it and find nothing. It took most of a certification round's verdicts (10 to 20 ms per thread
    /// parked in the thread pool or a socket, after every patch unload cleared the answers); now it is not done.
    /// </summary>
    internal static bool BuiltWithoutTheApplication(Assembly assembly)
        => WithoutTheApplication.GetValue(assembly, static a => new StrongBox<bool>(
            a == typeof(StaticInlining).Assembly || a == typeof(PatchGen.Diagnostics.PatchSiteFormat).Assembly
            || (SharedFrameworks is { } shared && !a.IsDynamic && a.Location.StartsWith(shared, StringComparison.Ordinal)))).Value;

    private static readonly ConditionalWeakTable<Assembly, StrongBox<bool>> WithoutTheApplication = new();

    // <dotnet root>/shared/, from CoreLib's own folder (<dotnet root>/shared/Microsoft.NETCore.App/<version>/); null
    // when CoreLib is not there (a self-contained app: its framework assemblies lie beside its own, and are searched).
    internal static readonly string? SharedFrameworks = FindSharedFrameworks();

    private static string? FindSharedFrameworks()
    {
        var coreLib = typeof(object).Assembly.Location;
        var version = Path.GetDirectoryName(coreLib);
        var framework = version is null ? null : Path.GetDirectoryName(version);
        var shared = framework is null ? null : Path.GetDirectoryName(framework);
        return shared is not null && Path.GetFileName(shared) == "shared" && Path.GetFileName(framework) == "Microsoft.NETCore.App"
            ? shared + Path.DirectorySeparatorChar
            : null;
    }

    private static PatchSite? Any(ChangeSet changes, PatchSite? exempt)
        => changes.Sites.FirstOrDefault(s => s != exempt);

    /// <summary>A changed function that a virtual or interface call of <paramref name="slot"/> could end up in (by name: cautious).</summary>
    private static PatchSite? Overriders(MethodBase slot, ChangeSet changes, PatchSite? exempt)
    {
        foreach (var site in changes.Sites)
        {
            if (site == exempt || !site.Method.IsVirtual)
                continue;
            var name = site.Method.Name;
            if (name == slot.Name || name.EndsWith("." + slot.Name, StringComparison.Ordinal))
                return site;
        }
        return null;
    }

    private static bool Inlinable(MethodBase method)
    {
        var flags = method.MethodImplementationFlags;
        if ((flags & MethodImplAttributes.NoInlining) != 0)
            return false;
        int size;
        try { size = method.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0; }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException) { return false; }
        return size > 0 && (size <= MaxInlineSize || (flags & MethodImplAttributes.AggressiveInlining) != 0);
    }

    /// <summary>
    /// The methods a body calls, resolved once per method where that is safe to keep: the walk is done again for every
    /// new set of changes (every enable), and resolving each call's token through reflection was most of its time
    /// (with 16 busy threads, every one of them waited for it under the memo's lock). Kept only where the method and
    /// every callee belong to assemblies that never unload: a kept method of a collectible assembly (a patch's) would
    /// keep its load context alive. Those are resolved at each walk, as before.
    /// </summary>
    internal static IEnumerable<MethodBase?> CalleesOf(MethodBase method)
    {
        if (KnownCallees.TryGetValue(method, out var known))
            return known;
        if (!IsPermanent(method))
            return Callees(method);
        var callees = Callees(method).ToArray();
        if (KnownCallees.Count < MaxKnownCallees && callees.All(c => c is null || IsPermanent(c)))
            KnownCallees.TryAdd(method, callees);
        return callees;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodBase, MethodBase?[]> KnownCallees = new();

    /// <summary>Whether the callees of <paramref name="method"/> are kept (tests).</summary>
    internal static bool KeepsCalleesOf(MethodBase method) => KnownCallees.ContainsKey(method);

    // A bound on what is kept (a walk with profiles goes through the framework's methods too): ~100,000 methods'
    // callees are a few MB.
    private const int MaxKnownCallees = 100_000;

    /// <summary>Whether nothing <paramref name="method"/> refers to can unload: its assembly, its type's and its own type arguments.</summary>
    private static bool IsPermanent(MethodBase method)
        => !method.Module.Assembly.IsCollectible
           && (method.DeclaringType is null || IsPermanent(method.DeclaringType))
           && (!method.IsGenericMethod || method.GetGenericArguments().All(IsPermanent));

    private static bool IsPermanent(Type type)
    {
        if (type.HasElementType)
            return IsPermanent(type.GetElementType()!);
        if (type.IsGenericParameter)
            return true;
        return !type.Assembly.IsCollectible && (!type.IsGenericType || type.GetGenericArguments().All(IsPermanent));
    }

    /// <summary>The methods a body calls (call, callvirt, newobj); null for one that cannot be resolved.</summary>
    private static IEnumerable<MethodBase?> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException) { yield break; }
        if (il is null)
            yield break;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int offset = 0; offset < il.Length;)
        {
            var (opcode, operandSize, isCall) = IlOpcodes.Read(il, offset);
            if (opcode < 0)
                yield break;
            if (isCall)
            {
                int token = BitConverter.ToInt32(il, offset + (opcode > 0xFF ? 2 : 1));
                MethodBase? callee;
                try { callee = method.Module.ResolveMethod(token, typeArguments, methodArguments); }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException) { callee = null; }
                yield return callee;
            }
            offset += (opcode > 0xFF ? 2 : 1) + (operandSize >= 0 ? operandSize : SwitchSize(il, offset));
        }
    }

    private static int SwitchSize(byte[] il, int offset) => 4 + 4 * BitConverter.ToInt32(il, offset + 1);
}
