using System.Reflection;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// Puts together each compiled method's inline tree from its JittedMethodRichDebugInfo chunks (which
/// follow the method's load event on the compiling thread), hangs it on that code version, and resolves
/// its nodes to metadata identities when the MethodDetails events that follow name their types. Runs on
/// the session's reader thread only.
/// </summary>
internal sealed class InlineTreeCollector
{
    private const int MaxPending = 100_000;
    private readonly CodeMap _codeMap;
    private readonly Dictionary<(long Thread, ulong MethodId), List<byte[]>> _chunks = new();
    private readonly Dictionary<ulong, List<(InlineTree Tree, int Node)>> _unresolved = new();
    private readonly Dictionary<ulong, MetadataMethodKey> _known = new();

    public InlineTreeCollector(CodeMap codeMap) => _codeMap = codeMap;

    public void Add(long thread, RichDebugInfoChunk chunk)
    {
        var key = (thread, chunk.MethodId);
        if (!_chunks.TryGetValue(key, out var parts))
            _chunks[key] = parts = new List<byte[]>();
        parts.Add(chunk.Data.ToArray());
        if (!chunk.Final)
            return;
        _chunks.Remove(key);
        var data = parts.Count == 1 ? parts[0] : parts.SelectMany(p => p).ToArray();
        var tree = InlineTree.Parse(data);
        var version = _codeMap.LatestVersionOf(chunk.MethodId);
        if (tree is null || version is null)
            return;
        for (int node = 0; node < tree.Count; node++)
        {
            ulong id = tree.MethodIds[node];
            if (_known.TryGetValue(id, out var resolved))
            {
                tree.Resolve(node, resolved);
            }
            else if (_unresolved.Count < MaxPending)
            {
                if (!_unresolved.TryGetValue(id, out var waiting))
                    _unresolved[id] = waiting = new List<(InlineTree, int)>();
                waiting.Add((tree, node));
            }
        }
        version.Tree = tree;
    }

    /// <summary>A method's token and loader module, as the MethodDetails event that follows its inlining gives them.</summary>
    public void Resolve(MethodDetailsRecord details)
    {
        var key = new MetadataMethodKey(details.LoaderModuleId, (int)details.Token);
        _known[details.MethodId] = key;
        if (_unresolved.Remove(details.MethodId, out var waiting))
        {
            foreach (var (tree, node) in waiting)
                tree.Resolve(node, key);
        }
    }
}
