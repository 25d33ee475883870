using System.Reflection;
using PatchGen.Macro.InProcess.StoreModel;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// Newtonsoft.Json 13.0.3 as shipped: one operation serializes a <see cref="StoreSnapshot"/> (nested objects,
/// lists, dictionaries, strings with escapes, decimals, doubles, nullable ints, enums, Guid, DateTime and
/// DateTimeOffset) with <c>JsonConvert.SerializeObject</c> and deserializes the JSON back with
/// <c>JsonConvert.DeserializeObject(string, Type)</c>, default settings.
/// </summary>
internal static class NewtonsoftJsonWorkload
{
    public const string Name = "newtonsoft";

    public const string DllName = "Newtonsoft.Json.dll";

    public static void Prepare(string workDirectory, string? variant = null) => LibraryCopies.Prepare(HarnessPaths.NewtonsoftJsonDll, Path.Combine(workDirectory, Name), variant);

    /// <summary>The workload over the copies <see cref="Prepare"/> wrote.</summary>
    public static Workload Create(string workDirectory)
    {
        var copies = LibraryCopies.Load(Path.Combine(workDirectory, Name), DllName);
        var snapshot = StoreSnapshotGenerator.Create();
        var plain = Api(copies.Plain1);
        string expected = RoundTrip(plain, snapshot);
        if (expected != plain.Serialize(snapshot))
            throw new InvalidOperationException("Newtonsoft.Json does not round-trip the snapshot; the workload would not be checking anything");
        return new Workload(Name, "Newtonsoft.Json 13.0.3: serialize + deserialize a 24-customer store snapshot (~60 KB JSON)",
        [
            Variant(LibraryCopies.Plain1Name, plain, snapshot, expected),
            Variant(LibraryCopies.Plain2Name, Api(copies.Plain2), snapshot, expected),
            Variant(LibraryCopies.InstrumentedName, Api(copies.Instrumented), snapshot, expected),
            .. copies.Variant is null ? [] : new[] { Variant(LibraryCopies.VariantName, Api(copies.Variant), snapshot, expected) },
        ]);
    }

    /// <summary>One operation on one copy of the library (also what the <c>jit</c> command's child processes run).</summary>
    public static Func<long> Operation(Assembly newtonsoft) => Operation(Api(newtonsoft), StoreSnapshotGenerator.Create());

    private static Func<long> Operation(JsonApi api, StoreSnapshot snapshot) => () =>
    {
        var json = api.Serialize(snapshot);
        var back = (StoreSnapshot)api.Deserialize(json, typeof(StoreSnapshot))!;
        return json.Length + back.Customers.Count;
    };

    private static Variant Variant(string name, JsonApi api, StoreSnapshot snapshot, string expected)
        => new(name, Operation(api, snapshot), () => RoundTrip(api, snapshot), expected);

    /// <summary>The JSON of the graph after a serialize, deserialize, serialize cycle: checks both directions.</summary>
    private static string RoundTrip(JsonApi api, StoreSnapshot snapshot)
        => api.Serialize(api.Deserialize(api.Serialize(snapshot), typeof(StoreSnapshot)));

    private static JsonApi Api(Assembly newtonsoft)
    {
        var convert = newtonsoft.GetType("Newtonsoft.Json.JsonConvert", throwOnError: true)!;
        return new JsonApi(
            convert.GetMethod("SerializeObject", [typeof(object)])!.CreateDelegate<Func<object?, string>>(),
            convert.GetMethod("DeserializeObject", [typeof(string), typeof(Type)])!.CreateDelegate<Func<string, Type, object?>>());
    }

    /// <summary>The two static methods of one copy, as delegates (the same cost for every copy).</summary>
    private sealed record JsonApi(Func<object?, string> Serialize, Func<string, Type, object?> Deserialize);
}
