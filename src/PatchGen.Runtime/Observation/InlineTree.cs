using System.Buffers.Binary;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// A method as the runtime's MethodDetails event describes it: its metadata token and the runtime's ID of
/// its loader module (the defining module, except for some generic instantiations). Plain values: nothing
/// here is ever turned back into a runtime structure, which may be gone by the time it is read.
/// </summary>
internal sealed record MetadataMethodKey(ulong LoaderModuleId, int Token);

/// <summary>
/// The JIT's inline tree of one compiled code version, from JittedMethodRichDebugInfo: which method's
/// code was inlined into which, node 0 being the compiled method itself. Only the tree is kept; the
/// event's offset mappings are statement-level and cannot say reliably which inlined copy an address
/// belongs to (blocks the JIT moves keep the mapping of the code before them).
/// </summary>
internal sealed class InlineTree
{
    private readonly MetadataMethodKey?[] _keys;

    private InlineTree(ulong[] methodIds, int[] parents)
    {
        MethodIds = methodIds;
        Parents = parents;
        _keys = new MetadataMethodKey?[methodIds.Length];
    }

    /// <summary>The runtime's MethodDesc of each node.</summary>
    public ulong[] MethodIds { get; }

    /// <summary>Each node's parent (-1 for the root, node 0).</summary>
    public int[] Parents { get; }

    public int Count => MethodIds.Length;

    /// <summary>The metadata identity of a node, once resolved (null while, or if, it cannot be).</summary>
    public MetadataMethodKey? KeyOf(int node) => Volatile.Read(ref _keys[node]);

    internal void Resolve(int node, MetadataMethodKey key) => Volatile.Write(ref _keys[node], key);

    /// <summary>Parses the rich debug info blob: node count, mapping count, nodes (MethodDesc, IL offset, first child, next sibling).</summary>
    public static InlineTree? Parse(ReadOnlySpan<byte> data)
    {
        const int NodeSize = 8 + 4 + 4 + 4;
        if (data.Length < 8)
            return null;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (count == 0 || count > (uint)((data.Length - 8) / NodeSize))
            return null;
        var ids = new ulong[count];
        var children = new uint[count];
        var siblings = new uint[count];
        for (int i = 0; i < count; i++)
        {
            var node = data.Slice(8 + i * NodeSize, NodeSize);
            ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(node);
            children[i] = BinaryPrimitives.ReadUInt32LittleEndian(node[12..]);
            siblings[i] = BinaryPrimitives.ReadUInt32LittleEndian(node[16..]);
        }
        var parents = new int[count];
        Array.Fill(parents, int.MinValue);
        parents[0] = -1;
        // Child and sibling 0 mean "none": node 0 is the root, which is nobody's child or sibling.
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.Count > 0)
        {
            int parent = pending.Pop();
            for (uint child = children[parent]; child != 0; child = siblings[child])
            {
                if (child >= count || parents[child] != int.MinValue)
                    return null; // malformed: out of range or a cycle
                parents[child] = parent;
                pending.Push((int)child);
            }
        }
        for (int i = 0; i < count; i++)
        {
            if (parents[i] == int.MinValue)
                parents[i] = 0; // unreachable node: attach to the root rather than lose it
        }
        return new InlineTree(ids, parents);
    }
}
