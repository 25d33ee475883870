using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PatchGen.Runtime;

/// <summary>
/// Data attached to existing objects without changing their layout (livepatch's shadow variables,
/// <c>klp_shadow_get_or_alloc</c>): the way a patch adds "a field" that the simple model forbids
/// (PG2001). A value lives as long as its owner object and is found by (owner, id).
/// </summary>
/// <remarks>
/// A value whose type comes from a patch keeps that patch's load context alive; a patch that attaches
/// such values should remove them in its pre-unpatch or post-unpatch callback (<see cref="RemoveAll"/>).
/// Values are stored as objects: attach a class (or <see cref="StrongBox{T}"/>) to have mutable state.
/// </remarks>
public static class ShadowVariables
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<int, object>> Table = new();

    /// <summary>The value attached to <paramref name="owner"/> under <paramref name="id"/>, or null.</summary>
    public static T? Get<T>(object owner, int id) where T : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Table.TryGetValue(owner, out var values) && values.TryGetValue(id, out var value) ? (T)value : null;
    }

    /// <summary>The attached value, creating it with <paramref name="factory"/> if there is none; one value wins under races.</summary>
    public static T GetOrAdd<T>(object owner, int id, Func<object, T> factory) where T : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(factory);
        var values = Table.GetValue(owner, _ => new ConcurrentDictionary<int, object>());
        return (T)values.GetOrAdd(id, _ => factory(owner));
    }

    /// <summary>Attaches <paramref name="value"/>, replacing any value under the same ID.</summary>
    public static void Set(object owner, int id, object value)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(value);
        Table.GetValue(owner, _ => new ConcurrentDictionary<int, object>())[id] = value;
    }

    /// <summary>Detaches the value under <paramref name="id"/>; false if there was none.</summary>
    public static bool Remove(object owner, int id)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Table.TryGetValue(owner, out var values) && values.TryRemove(id, out _);
    }

    /// <summary>Detaches every value under <paramref name="id"/> from every object (<c>klp_shadow_free_all</c>).</summary>
    public static int RemoveAll(int id)
    {
        int removed = 0;
        foreach (var pair in Table)
            if (pair.Value.TryRemove(id, out _))
                removed++;
        return removed;
    }
}
