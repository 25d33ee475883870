using System.Collections;
using Mono.Cecil;

namespace PatchGen.Emit;

/// <summary>
/// The composers of one patch, one per base, writing into one module. A fix that spans several assemblies
/// has code in one new build that uses what the fix adds or changes in another (a method added to a type of
/// library B, called from library A): such a reference names B by assembly, and the runtime would look for
/// it in the live B, which does not have it. The reference mapper of A therefore hands a reference into the
/// new build of another base to that base's composer, which makes of it what it makes of its own references
/// (the live base's member, or the patch's copy).
/// </summary>
internal sealed class PatchComposers : IEnumerable<PatchComposer>
{
    private readonly List<PatchComposer> _composers = new();
    private readonly Dictionary<string, PatchComposer> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), PatchComposer> _topLevel = new();

    public PatchComposer this[int index] => _composers[index];

    public void Add(PatchComposer composer)
    {
        _composers.Add(composer);
        _byName.Add(composer.New.Assembly.Name.Name, composer);
    }

    /// <summary>The composer of the base whose new build is the assembly <paramref name="scope"/> names, if it is one of this patch's.</summary>
    public PatchComposer? For(IMetadataScope scope)
        => scope is AssemblyNameReference name && _byName.TryGetValue(name.Name, out var composer) ? composer : null;

    /// <summary>
    /// Whether another composer put a top-level type of this namespace and name into the module (two bases
    /// may each need their own <c>&lt;PrivateImplementationDetails&gt;</c>, or have a type of one full name);
    /// otherwise the name is now <paramref name="composer"/>'s.
    /// </summary>
    public bool TakenByAnother(string @namespace, string name, PatchComposer composer)
        => _topLevel.TryAdd((@namespace, name), composer) ? false : _topLevel[(@namespace, name)] != composer;

    /// <summary>Copies every body queued by any composer, until none queues another (a body of one may queue work in another).</summary>
    public void Complete()
    {
        while (_composers.Any(c => c.HasPending))
        {
            foreach (var composer in _composers)
                composer.Complete();
        }
    }

    public IEnumerator<PatchComposer> GetEnumerator() => _composers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
