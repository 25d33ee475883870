namespace PatchGen.Macro.InProcess.StoreModel;

/// <summary>
/// The object graph the Newtonsoft.Json workload serializes and deserializes: what a shop's reporting API might
/// export. Plain settable properties, as Json.NET expects of a DTO; lives in the default context and is shared
/// by every copy of the library.
/// </summary>
public sealed class StoreSnapshot
{
    public string StoreId { get; set; } = "";

    public DateTime GeneratedAt { get; set; }

    public List<Customer> Customers { get; set; } = [];

    public Dictionary<string, CategoryStats> Categories { get; set; } = [];

    public List<string> Notices { get; set; } = [];
}
