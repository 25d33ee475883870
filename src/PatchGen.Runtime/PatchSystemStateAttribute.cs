namespace PatchGen.Runtime;

/// <summary>
/// A system state a patch establishes or maintains (livepatch's <c>klp_state</c>): for example "orders
/// carry a shadow idempotency key", version 2. A patch may not be applied over patches that established
/// a newer version of a state it names; a cumulative patch must also name, at the same or a newer
/// version, every state the patches it replaces established (PG4003).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PatchSystemStateAttribute : Attribute
{
    public PatchSystemStateAttribute(int id, int version)
    {
        Id = id;
        Version = version;
    }

    /// <summary>The state's ID, chosen by the patch author and stable across patches.</summary>
    public int Id { get; }

    /// <summary>The version of the state this patch establishes.</summary>
    public int Version { get; }
}
