using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PatchGen.Macro.Jit;

/// <summary>
/// Methods of an assembly by the IL size of their bodies, read from metadata. The bucket edges are the JIT's
/// inlining thresholds: up to 16 bytes a callee is always considered for inlining, up to 128 bytes (the default
/// policy's limit without profile data) it may be, above that only with profile data or
/// <c>AggressiveInlining</c>. The instrumenter's own types (<c>&lt;PatchGen&gt;...</c>) are left out.
/// </summary>
internal sealed record IlSizeHistogram(IReadOnlyList<(string Bucket, int Count)> Buckets, int Methods, int WithExceptionHandlers, long TotalIlBytes)
{
    private static readonly (string Name, int Max)[] Edges = [("1–16", 16), ("17–32", 32), ("33–64", 64), ("65–128", 128), ("129–512", 512), ("513+", int.MaxValue)];

    public static IlSizeHistogram Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var counts = new int[Edges.Length];
        int methods = 0, withHandlers = 0;
        long total = 0;
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            if (IsInstrumenterType(reader, type))
                continue;
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                    continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                int size = body.GetILReader().Length;
                methods++;
                total += size;
                if (body.ExceptionRegions.Length > 0)
                    withHandlers++;
                counts[Array.FindIndex(Edges, e => size <= e.Max)]++;
            }
        }
        return new IlSizeHistogram(Edges.Select((e, i) => (e.Name, counts[i])).ToList(), methods, withHandlers, total);
    }

    /// <summary>A type the instrumenter added, or nested in one (their names start with <c>&lt;PatchGen&gt;</c>).</summary>
    private static bool IsInstrumenterType(MetadataReader reader, TypeDefinition type)
    {
        while (true)
        {
            if (reader.GetString(type.Name).StartsWith("<PatchGen>", StringComparison.Ordinal))
                return true;
            var declaring = type.GetDeclaringType();
            if (declaring.IsNil)
                return false;
            type = reader.GetTypeDefinition(declaring);
        }
    }
}
